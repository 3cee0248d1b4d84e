#include <hdf5.h>
#include <string.h>

/* Function-like and versioned HDF5 macros do not import into Swift; these wrappers resolve them
   in C so the Swift side works against libhdf5 1.10 through 1.14. */

/* The read-only file access flag (H5F_ACC_RDONLY). */
static inline unsigned bertconv_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }

/* A new file-access property list (H5P_FILE_ACCESS). */
static inline hid_t bertconv_h5p_file_access(void) { return H5Pcreate(H5P_FILE_ACCESS); }

/* The C string type (H5T_C_S1). */
static inline hid_t bertconv_h5t_c_s1(void) { return H5T_C_S1; }

/* The link type (H5L_TYPE_HARD, _SOFT, _EXTERNAL, …) of `name` in `loc`, or -1 when absent; for a
   hard link, `address` receives the file address of the object header it points at. */
static inline int bertconv_h5_link(hid_t loc, const char *name, haddr_t *address) {
    *address = HADDR_UNDEF;
#if H5_VERSION_GE(1, 12, 0)
    H5L_info2_t info;
    if (H5Lget_info2(loc, name, &info, H5P_DEFAULT) < 0) return -1;
    if (info.type == H5L_TYPE_HARD && H5VLnative_token_to_addr(loc, info.u.token, address) < 0) return -1;
#else
    H5L_info_t info;
    if (H5Lget_info(loc, name, &info, H5P_DEFAULT) < 0) return -1;
    if (info.type == H5L_TYPE_HARD) *address = info.u.address;
#endif
    return (int)info.type;
}

/* The tag of the opaque type bertconv reads variable-length string descriptors into. */
#define BERTCONV_VLEN_DESCRIPTOR_TAG "bertconv vlen descriptor"
static inline const char *bertconv_vlen_descriptor_tag(void) { return BERTCONV_VLEN_DESCRIPTOR_TAG; }

/* A soft conversion from a variable-length string, as stored in the file, to an opaque type of
   the same size tagged BERTCONV_VLEN_DESCRIPTOR_TAG. It leaves the stored descriptors (length,
   global heap collection address, object index) as they are, so reading an attribute through it
   never makes libhdf5 walk a global heap (1.10 loops forever on a corrupt one); bertconv resolves
   the descriptors itself with every size checked. Any other pair of types is declined at INIT. */
static inline herr_t bertconv_keep_vlen_descriptors(hid_t src, hid_t dst, H5T_cdata_t *cdata, size_t nelmts,
                                                    size_t buf_stride, size_t bkg_stride, void *buf, void *bkg,
                                                    hid_t xfer) {
    (void)nelmts; (void)bkg_stride; (void)buf; (void)bkg; (void)xfer;
    switch (cdata->command) {
    case H5T_CONV_INIT: {
        cdata->need_bkg = H5T_BKG_NO;
        if (H5Tget_class(src) != H5T_STRING || H5Tis_variable_str(src) <= 0 || H5Tget_class(dst) != H5T_OPAQUE
            || H5Tget_size(src) == 0 || H5Tget_size(src) != H5Tget_size(dst)) return -1;
        char *tag = H5Tget_tag(dst);
        int ours = tag != NULL && strcmp(tag, BERTCONV_VLEN_DESCRIPTOR_TAG) == 0;
        H5free_memory(tag);
        return ours ? 0 : -1;
    }
    case H5T_CONV_CONV: return buf_stride == 0 ? 0 : -1;  /* same size, converted in place: nothing to do */
    default: return 0;
    }
}

/* Registers bertconv_keep_vlen_descriptors as a soft conversion (variable-length string → opaque). */
static inline herr_t bertconv_register_vlen_descriptors(void) {
    hid_t src = H5Tcopy(H5T_C_S1);
    H5Tset_size(src, H5T_VARIABLE);
    hid_t dst = H5Tcreate(H5T_OPAQUE, 1);
    herr_t status = H5Tregister(H5T_PERS_SOFT, "bertconv_keep_vlen_descriptors", src, dst,
                                bertconv_keep_vlen_descriptors);
    H5Tclose(dst);
    H5Tclose(src);
    return status;
}

/* Creation-side constants, used by tests that build hostile files with libhdf5 itself. */
static inline unsigned bertconv_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline hid_t bertconv_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t bertconv_h5t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t bertconv_h5p_dataset_create(void) { return H5Pcreate(H5P_DATASET_CREATE); }
static inline hid_t bertconv_h5p_file_create(void) { return H5Pcreate(H5P_FILE_CREATE); }
