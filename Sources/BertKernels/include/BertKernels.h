// BertKernels: the runner's fp32 compute kernels (packed GEMM with fused epilogues, attention,
// LayerNorm, activations). Every entry point dispatches at run time: AVX2+FMA where the CPU has
// it, portable C otherwise. Callers pass the scratch they need; the only allocations are the
// thread pool's and the GEMM's one packing buffer per thread (made on its first AVX2 call, freed
// when the thread exits).
#ifndef BERT_KERNELS_H
#define BERT_KERNELS_H

#include <stddef.h>

/// Columns per packed weight panel (the micro-kernel's width).
#define BK_PANEL_WIDTH 16

/// Activation applied in a GEMM epilogue; values match `Activation` in BertRunner.
typedef enum {
    BK_ACT_NONE = 0,
    BK_ACT_GELU_ERF = 1,
    BK_ACT_GELU_TANH = 2,
    BK_ACT_RELU = 3,
    BK_ACT_SILU = 4,
    BK_ACT_TANH = 5,
} bk_activation;

/// What happens to each output element after the product: y = act(x + bias) + residual.
typedef struct {
    const float *bias;     ///< [n] or NULL
    const float *residual; ///< [m, ld_residual] or NULL
    int ld_residual;
    int activation;        ///< a bk_activation
} bk_epilogue;

/// Which kernel family a call runs: every compute entry point takes one, so callers (and tests)
/// choose per runner instead of through global state.
typedef enum {
    BK_ISA_PORTABLE = 0, ///< plain C, any x86-64 or other CPU
    BK_ISA_AVX2 = 1,     ///< AVX2 + FMA
} bk_isa;

/// The best kernel family this CPU runs.
int bk_best_isa(void);

/// Depth (k) per packed block; the GEMM accumulates block by block.
#define BK_DEPTH_BLOCK 256

/// Offset in floats of panel `panel`'s slice of the depth block starting at k0 (kc deep).
size_t bk_packed_offset(int n, int k0, int kc, int panel);
/// Number of 16-column panels for n output columns.
int bk_panel_count(int n);
/// Floats a packed matrix of n columns and k depth occupies.
size_t bk_packed_floats(int n, int k);
/// Packs w[n][k] (row stride ldw; PyTorch Linear weight layout) into panels.
void bk_pack_nk(const float *w, int n, int k, int ldw, float *packed);
/// Packs b[k][n] (row stride ldb) into panels.
void bk_pack_kn(const float *b, int k, int n, int ldb, float *packed);

/// c[m, n] = epilogue(a[m, k] · B) over panels [panel_begin, panel_end) of packed B. The AVX2 path
/// copies blocks of a into this thread's packing buffer (falling back to the portable kernel if
/// that buffer cannot be allocated).
void bk_gemm_packed(int isa, int m, int n, int k, const float *a, int lda, const float *packed,
                    float *c, int ldc, const bk_epilogue *epilogue, int panel_begin, int panel_end);

/// Applies an epilogue in place to c[m, n] (for products computed elsewhere, e.g. by BLAS).
void bk_epilogue_apply(int isa, float *c, int m, int n, int ldc, const bk_epilogue *epilogue);

/// LayerNorm of each row of x[rows, n] (stride ld) into y (stride ld), in place allowed.
void bk_layer_norm(int isa, const float *x, float *y, int rows, int n, int ld,
                   const float *gamma, const float *beta, float eps);

/// Floats of scratch one attention task needs.
size_t bk_attention_scratch_floats(int seq, int head_dim);

/// Scaled dot-product attention for tasks [task_begin, task_end) of batch × heads.
/// q, k, v: rows of one token each (stride ld_qkv), head h at column h × head_dim.
/// key_mask: [batch, seq], 1 for real tokens. causal: keys after the query are masked.
/// ctx: [batch × seq, ld_ctx], head h written at column h × head_dim.
void bk_attention(int isa, const float *q, const float *k, const float *v, int ld_qkv,
                  const float *key_mask, int batch, int seq, int heads, int head_dim,
                  int causal, float scale, float *ctx, int ld_ctx,
                  int task_begin, int task_end, float *scratch);

/// A fixed set of worker threads that spin briefly between parallel regions before sleeping.
typedef struct bk_pool bk_pool;
/// One chunk of a region, run by thread `worker` (0 is the calling thread, each thread has its own
/// number, so it can index per-thread scratch).
typedef void (*bk_pool_task)(void *context, int worker, int chunk);
/// Starts threads - 1 workers (the caller is the first thread); NULL if out of memory.
bk_pool *bk_pool_create(int threads);
/// Threads the pool runs a region on (fewer than asked if the OS refused some).
int bk_pool_threads(const bk_pool *pool);
/// Runs task(context, worker, c) for every chunk c in [0, chunks), each once, on whichever threads
/// claim them first, and returns 1 once all are done; returns 0 without running anything when the
/// pool is busy with another region (run it on one thread then).
int bk_pool_run(bk_pool *pool, int chunks, bk_pool_task task, void *context);
/// Stops and joins the workers.
void bk_pool_destroy(bk_pool *pool);

#endif
