#include <zlib.h>

/* inflateInit2 is a macro; raw deflate (no zlib header), as zip entries store it. */
static inline int bertconv_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -MAX_WBITS);
}
