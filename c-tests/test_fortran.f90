! A Fortran program calling DGEMM (LP64, column-major) against a loop reference.
program test_fortran
  implicit none
  integer, parameter :: m = 37, n = 23, k = 51, lda = m + 2, ldb = k + 1, ldc = m + 3
  double precision :: a(lda, k), b(ldb, n), c(ldc, n), c0(ldc, n), want, bound, alpha, beta
  double precision :: at(k, m)
  integer :: i, j, p, failures
  alpha = 1.25d0
  beta = -0.5d0
  call random_seed()
  call random_number(a)
  call random_number(b)
  call random_number(c)
  c0 = c
  failures = 0
  call dgemm('N', 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  do j = 1, n
    do i = 1, m
      want = beta * c0(i, j)
      bound = abs(beta * c0(i, j))
      do p = 1, k
        want = want + alpha * a(i, p) * b(p, j)
        bound = bound + abs(alpha * a(i, p) * b(p, j))
      end do
      if (abs(c(i, j) - want) > 4 * (k + 2) * epsilon(1d0) * bound) failures = failures + 1
    end do
  end do
  ! The transposed interface: op(A) = AT**T with a lower-case 't'.
  at = transpose(a(1:m, 1:k))
  c = c0
  call dgemm('t', 'N', m, n, k, alpha, at, k, b, ldb, beta, c, ldc)
  do j = 1, n
    do i = 1, m
      want = beta * c0(i, j) + alpha * dot_product(a(i, 1:k), b(1:k, j))
      if (abs(c(i, j) - want) > 1d-12 * (1 + abs(want))) failures = failures + 1
    end do
  end do
  print '(a, i0, a)', 'test_fortran: ', failures, ' failures'
  if (failures /= 0) stop 1
end program test_fortran
