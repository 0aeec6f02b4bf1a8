"""A threadpoolctl controller for liboxblas, registered on import when threadpoolctl is
installed (threadpoolctl ignores libraries it has no controller for)."""


def register():
    try:
        import threadpoolctl
    except ImportError:
        return False
    if not hasattr(threadpoolctl, "register"):
        return False

    class OxblasController(threadpoolctl.LibController):
        user_api = "blas"
        internal_api = "oxblas"
        filename_prefixes = ("liboxblas",)
        check_symbols = ("oxblas_get_num_threads", "oxblas_set_num_threads")

        def get_num_threads(self):
            return self.dynlib.oxblas_get_num_threads()

        def set_num_threads(self, num_threads):
            return self.dynlib.oxblas_set_num_threads(num_threads)

        def get_version(self):
            import ctypes

            get = self.dynlib.oxblas_get_config
            get.restype = ctypes.c_char_p
            return get().decode().split()[1]

        def set_additional_attributes(self):
            import ctypes

            corename = self.dynlib.openblas_get_corename
            corename.restype = ctypes.c_char_p
            self.architecture = corename().decode()

    threadpoolctl.register(OxblasController)
    return True
