# SV_CHECK_CFLAG(FLAG, [ACTION-IF-OK], [ACTION-IF-NOT])
# Runs the actions depending on whether the C compiler accepts FLAG without
# a warning (the flag is compiled with -Werror).
AC_DEFUN([SV_CHECK_CFLAG], [
  AS_VAR_PUSHDEF([sv_var], [sv_cv_cflag_$1])
  AC_CACHE_CHECK([whether $CC accepts $1], [sv_var], [
    sv_save_CFLAGS=$CFLAGS
    CFLAGS="$CFLAGS -Werror $1"
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
      [AS_VAR_SET([sv_var], [yes])], [AS_VAR_SET([sv_var], [no])])
    CFLAGS=$sv_save_CFLAGS])
  AS_VAR_IF([sv_var], [yes], [$2], [$3])
  AS_VAR_POPDEF([sv_var])
])
