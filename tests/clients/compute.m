% Octave's everyday linear algebra on whatever BLAS/LAPACK it loads; prints one number
% per call (to 15 digits) and then the BLAS/LAPACK libraries mapped.
rand("seed", 1); n = 300; a = rand(n) - 0.5; h = a' * a + eye(n); b = rand(n, 1);
x = a \ b; iv = inv(a); s = svd(a); e = eig(h); g = eig(a); d = det(a); c = chol(h);
[q, r] = qr(a); p = a * h;
printf("%.15e\n", [sum(x), sum(iv(:)), sum(s), sum(e), sum(abs(g)), d, sum(c(:)), sum(abs(r(:))), sum(p(:))]);
m = fileread("/proc/self/maps"); l = regexp(m, '[^\n]*(blas|lapack)[^\n]*', 'match');
u = unique(cellfun(@(s) strtrim(s(max(strfind(s, ' ')):end)), l, 'UniformOutput', false));
printf("%s\n", u{:});
