! Reference LAPACK routines built into oxblas, called from Fortran as a program linked
! to liblapack would: DSYEV (A v = w v, V orthogonal) and DSTEVR (SciPy's
! eigh_tridiagonal), against the residual and against the known spectrum of the
! second-difference matrix, 2 - 2 cos(k pi / (n + 1)).
program test_lapack
  implicit none
  integer, parameter :: n = 40
  double precision :: a(n, n), v(n, n), w(n), work(20 * n), d(n), e(n), z(n, n), ws(n)
  double precision :: pi, worst, want
  integer :: i, j, info, m, isuppz(2 * n), iwork(10 * n)
  integer :: fails = 0
  pi = 4d0 * atan(1d0)
  do j = 1, n
    do i = 1, n
      a(i, j) = 1d0 / (i + j - 1) + merge(1d0, 0d0, i == j)
    end do
  end do
  v = a
  call dsyev('V', 'L', n, v, n, w, work, size(work), info)
  if (info /= 0) call fail('dsyev info')
  worst = maxval(abs(matmul(a, v) - v * spread(w, 1, n)))
  if (worst > 1d-12) call fail('dsyev residual')
  worst = maxval(abs(matmul(transpose(v), v) - identity()))
  if (worst > 1d-12) call fail('dsyev orthogonality')
  d = 2d0
  e = -1d0
  call dstevr('V', 'A', n, d, e, 0d0, 0d0, 0, 0, 0d0, m, ws, z, n, isuppz, work, &
              size(work), iwork, size(iwork), info)
  if (info /= 0 .or. m /= n) call fail('dstevr info')
  do i = 1, n
    want = 2d0 - 2d0 * cos(i * pi / (n + 1))
    if (abs(ws(i) - want) > 1d-13) call fail('dstevr eigenvalue')
  end do
  if (fails > 0) stop 1
  print *, 'test_lapack: ok'
contains
  function identity() result(id)
    double precision :: id(n, n)
    id = 0d0
    do i = 1, n
      id(i, i) = 1d0
    end do
  end function
  subroutine fail(what)
    character(*), intent(in) :: what
    print *, 'FAIL: ', what
    fails = fails + 1
  end subroutine
end program
