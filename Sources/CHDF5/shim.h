#include <hdf5.h>

/* Function-like and versioned HDF5 macros do not import into Swift; these wrappers resolve them
   in C so the Swift side works against libhdf5 1.10 through 1.14. */

/* The read-only file access flag (H5F_ACC_RDONLY). */
static inline unsigned bertconv_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }

/* A new file-access property list (H5P_FILE_ACCESS). */
static inline hid_t bertconv_h5p_file_access(void) { return H5Pcreate(H5P_FILE_ACCESS); }

/* The C string type (H5T_C_S1), for variable-length string reads. */
static inline hid_t bertconv_h5t_c_s1(void) { return H5T_C_S1; }

/* The link type (H5L_TYPE_HARD, _SOFT, _EXTERNAL, …) of `name` in `loc`, or -1 when absent. */
static inline int bertconv_h5_link_type(hid_t loc, const char *name) {
    H5L_info_t info;
    if (H5Lget_info(loc, name, &info, H5P_DEFAULT) < 0) return -1;
    return (int)info.type;
}

/* Frees the strings libhdf5 allocated for a variable-length read (H5Treclaim from 1.12 on). */
static inline herr_t bertconv_h5_vlen_reclaim(hid_t type, hid_t space, void *buffer) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type, space, H5P_DEFAULT, buffer);
#else
    return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
#endif
}

/* Creation-side constants, used by tests that build hostile files with libhdf5 itself. */
static inline unsigned bertconv_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline hid_t bertconv_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t bertconv_h5p_dataset_create(void) { return H5Pcreate(H5P_DATASET_CREATE); }
