# cmake -DF=FILE -DR=RUNPATH -P set_runpath.cmake: rewrites an ELF file's
# run path in place (no patchelf needed); R must not be longer than the
# path it replaces.
file(RPATH_SET FILE "${F}" NEW_RPATH "${R}")
