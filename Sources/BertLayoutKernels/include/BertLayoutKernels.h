// BertLayoutKernels: the layout changes format conversion spends its time in (kernels stored
// `[in, out]` by TensorFlow, Keras and Flax become PyTorch's `[out, in]`). Plain C with an AVX2
// path chosen at run time; both give the same bytes (a transpose moves elements, never rounds).
#ifndef BERT_LAYOUT_KERNELS_H
#define BERT_LAYOUT_KERNELS_H

#include <stdint.h>

/// Writes source columns [col_begin, col_end) of `src` (`[rows, cols]`, 4-byte elements, any
/// alignment) as the rows of `dst` (`[col_end − col_begin, rows]`): the whole transpose, or a slab.
void blk_transpose32(const void *src, void *dst, int64_t rows, int64_t cols, int64_t col_begin, int64_t col_end);

#endif
