// A fixed set of worker threads for the runner's parallel regions. A region is short (a GEMM on
// 128 tokens takes about a millisecond), so waking sleeping threads through the OS for each one
// costs a noticeable share of it: after a region, workers spin on the pool's state for a little
// while, and only then sleep on a condition variable. Chunks are claimed, not assigned: whichever
// thread comes first takes the next one, so on a loaded machine a worker the OS has not scheduled
// yet delays nothing (the caller runs its chunks too). A caller that finds the pool busy (another
// thread's region, or a nested one) is told so and runs its region alone.
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include "BertKernels.h"
#include "vecmath.h"

/// How long an idle thread spins before it sleeps: 2 ms outlasts the gaps inside a forward pass
/// (a thread held back by the host, a serial step), so workers are rarely woken through the OS
/// mid-pass; 200 µs made bert-base 8×128 5–7% slower (eight alternating pairs, all in favour).
#define SPIN_NANOSECONDS 2000000

struct bk_pool {
    int threads;
    pthread_t *workers;
    pthread_mutex_t busy;  // held by the caller of bk_pool_run for the whole region
    pthread_mutex_t lock;  // guards the sleeps below
    pthread_cond_t wake;   // a new region was published
    pthread_cond_t done;   // the last chunk finished
    // Region number in the high 32 bits, next unclaimed chunk in the low 32: a claim (one
    // compare-and-swap) can never take a chunk of a region other than the one it looked at.
    _Atomic uint64_t state;
    _Atomic int finished;
    _Atomic int sleepers;
    _Atomic int caller_sleeps;
    _Atomic int stop;
    bk_pool_task task;
    void *context;
    int chunks;
};

struct start { bk_pool *pool; int worker; };

static long long nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void relax(void) {
#if BK_X86
    _mm_pause();
#endif
}

static uint32_t region_of(uint64_t state) { return (uint32_t)(state >> 32); }

// Spins until the region number differs from `seen` (1) or the spin budget runs out (0).
static int spin_for_region(bk_pool *pool, uint32_t seen) {
    long long deadline = nanoseconds() + SPIN_NANOSECONDS;
    for (int i = 1;; i++) {
        if (region_of(atomic_load(&pool->state)) != seen) return 1;
        relax();
        if (i % 64 == 0 && nanoseconds() > deadline) return 0;
    }
}

// Spins until every chunk finished (1) or the spin budget runs out (0).
static int spin_for_finish(bk_pool *pool) {
    long long deadline = nanoseconds() + SPIN_NANOSECONDS;
    for (int i = 1;; i++) {
        if (atomic_load(&pool->finished) == pool->chunks) return 1;
        relax();
        if (i % 64 == 0 && nanoseconds() > deadline) return 0;
    }
}

// Claims and runs chunks of region `region` until none is left.
static void run_chunks(bk_pool *pool, uint32_t region, int worker) {
    uint64_t state = atomic_load(&pool->state);
    while (region_of(state) == region && (int)(uint32_t)state < pool->chunks) {
        if (!atomic_compare_exchange_weak(&pool->state, &state, state + 1)) continue;
        pool->task(pool->context, worker, (int)(uint32_t)state);
        if (atomic_fetch_add(&pool->finished, 1) + 1 == pool->chunks && atomic_load(&pool->caller_sleeps)) {
            pthread_mutex_lock(&pool->lock);
            pthread_cond_broadcast(&pool->done);
            pthread_mutex_unlock(&pool->lock);
        }
        state = atomic_load(&pool->state);
    }
}

static void *worker_main(void *argument) {
    struct start start = *(struct start *)argument;
    free(argument);
    bk_pool *pool = start.pool;
    uint32_t seen = 0;
    for (;;) {
        if (!spin_for_region(pool, seen)) {
            pthread_mutex_lock(&pool->lock);
            atomic_fetch_add(&pool->sleepers, 1);
            while (region_of(atomic_load(&pool->state)) == seen) pthread_cond_wait(&pool->wake, &pool->lock);
            atomic_fetch_sub(&pool->sleepers, 1);
            pthread_mutex_unlock(&pool->lock);
        }
        if (atomic_load(&pool->stop)) return NULL;
        seen = region_of(atomic_load(&pool->state));
        run_chunks(pool, seen, start.worker);
    }
}

// Publishes region `region` (its fields already set) and wakes sleeping workers.
static void publish(bk_pool *pool, uint32_t region) {
    atomic_store(&pool->state, (uint64_t)region << 32);
    if (atomic_load(&pool->sleepers) > 0) {
        pthread_mutex_lock(&pool->lock);
        pthread_cond_broadcast(&pool->wake);
        pthread_mutex_unlock(&pool->lock);
    }
}

bk_pool *bk_pool_create(int threads) {
    bk_pool *pool = calloc(1, sizeof(bk_pool));
    if (!pool) return NULL;
    pthread_mutex_init(&pool->busy, NULL);
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_cond_init(&pool->done, NULL);
    pool->workers = calloc((size_t)(threads < 1 ? 1 : threads), sizeof(pthread_t));
    int started = 1;
    for (; pool->workers && started < threads; started++) {
        struct start *start = malloc(sizeof(struct start));
        if (!start) break;
        *start = (struct start){pool, started};
        if (pthread_create(&pool->workers[started], NULL, worker_main, start) != 0) {
            free(start);
            break;
        }
    }
    pool->threads = started;
    return pool;
}

int bk_pool_threads(const bk_pool *pool) { return pool->threads; }

int bk_pool_run(bk_pool *pool, int chunks, bk_pool_task task, void *context) {
    if (pool->threads < 2 || chunks < 2 || pthread_mutex_trylock(&pool->busy) != 0) return 0;
    uint32_t region = region_of(atomic_load(&pool->state)) + 1;
    pool->task = task;
    pool->context = context;
    pool->chunks = chunks;
    atomic_store(&pool->finished, 0);
    publish(pool, region);
    run_chunks(pool, region, 0);
    if (!spin_for_finish(pool)) {
        pthread_mutex_lock(&pool->lock);
        atomic_store(&pool->caller_sleeps, 1);
        while (atomic_load(&pool->finished) < chunks) pthread_cond_wait(&pool->done, &pool->lock);
        atomic_store(&pool->caller_sleeps, 0);
        pthread_mutex_unlock(&pool->lock);
    }
    pthread_mutex_unlock(&pool->busy);
    return 1;
}

void bk_pool_destroy(bk_pool *pool) {
    if (!pool) return;
    pthread_mutex_lock(&pool->busy);
    pool->chunks = 0;
    atomic_store(&pool->stop, 1);
    publish(pool, region_of(atomic_load(&pool->state)) + 1);
    for (int w = 1; w < pool->threads; w++) pthread_join(pool->workers[w], NULL);
    pthread_mutex_unlock(&pool->busy);
    pthread_mutex_destroy(&pool->busy);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->wake);
    pthread_cond_destroy(&pool->done);
    free(pool->workers);
    free(pool);
}
