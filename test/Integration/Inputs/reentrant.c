/* Calls one exported kernel (causal_gqa_dyn of examples/c/attention.mlir)
 * from several threads at once, each with its own buffers and sizes, and
 * checks every result bit for bit against a call made alone; then calls it
 * 10,000 times in a loop and checks that the resident memory did not grow.
 *
 *   reentrant THREADS CALLS_PER_THREAD LOOP_CALLS
 */
#include "attention.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

enum { HQ = 8, HKV = 2, D = 16 };

typedef struct {
  int64_t b, lq, lk;
  float *q, *k, *v, *expectedOut, *expectedLse;
  int calls, mismatches, failures;
} Job;

static float *randomArray(size_t n, uint64_t seed) {
  float *a = malloc(n * sizeof(float));
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    a[i] = (float)((double)(seed >> 11) / 9007199254740992.0 * 2.0 - 1.0);
  }
  return a;
}

static int call(Job *job, float *out, float *lse) {
  return causal_gqa_dyn(job->q, job->k, job->v, out, lse, job->b, job->lq,
                        job->b, job->lk, job->b, job->lk);
}

static void *worker(void *arg) {
  Job *job = arg;
  size_t nOut = job->b * HQ * job->lq * D, nLse = job->b * HQ * job->lq;
  float *out = malloc(nOut * sizeof(float));
  float *lse = malloc(nLse * sizeof(float));
  for (int c = 0; c < job->calls; ++c) {
    memset(out, 0xff, nOut * sizeof(float));
    if (call(job, out, lse) != 0) {
      ++job->failures;
      continue;
    }
    if (memcmp(out, job->expectedOut, nOut * sizeof(float)) ||
        memcmp(lse, job->expectedLse, nLse * sizeof(float)))
      ++job->mismatches;
  }
  free(out);
  free(lse);
  return NULL;
}

static long residentKb(void) {
  /* The current resident set, from /proc (getrusage only gives the peak). */
  FILE *f = fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
      resident = 0;
    fclose(f);
  }
  return resident * 4;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 4;
  int calls = argc > 2 ? atoi(argv[2]) : 50;
  int loop = argc > 3 ? atoi(argv[3]) : 10000;
  Job *jobs = calloc(threads, sizeof(Job));
  for (int t = 0; t < threads; ++t) {
    Job *job = &jobs[t];
    job->b = 1 + t % 2;
    job->lq = 5 + 7 * t;
    job->lk = 9 + 11 * t;
    job->calls = calls;
    size_t nq = job->b * HQ * job->lq * D, nkv = job->b * HKV * job->lk * D;
    job->q = randomArray(nq, 3 * t + 1);
    job->k = randomArray(nkv, 3 * t + 2);
    job->v = randomArray(nkv, 3 * t + 3);
    job->expectedOut = malloc(nq * sizeof(float));
    job->expectedLse = malloc(job->b * HQ * job->lq * sizeof(float));
    if (call(job, job->expectedOut, job->expectedLse) != 0) {
      printf("thread %d: the call alone failed\n", t);
      return 1;
    }
  }

  pthread_t *ids = malloc(threads * sizeof(pthread_t));
  for (int t = 0; t < threads; ++t)
    pthread_create(&ids[t], NULL, worker, &jobs[t]);
  int mismatches = 0, failures = 0;
  for (int t = 0; t < threads; ++t) {
    pthread_join(ids[t], NULL);
    mismatches += jobs[t].mismatches;
    failures += jobs[t].failures;
  }
  printf("concurrent: %d threads x %d calls, %d mismatches, %d failures\n",
         threads, calls, mismatches, failures);

  /* Memory: warm up, then LOOP_CALLS more calls. */
  Job *job = &jobs[threads - 1];
  size_t nOut = job->b * HQ * job->lq * D, nLse = job->b * HQ * job->lq;
  float *out = malloc(nOut * sizeof(float)), *lse = malloc(nLse * sizeof(float));
  for (int c = 0; c < 100; ++c)
    call(job, out, lse);
  long before = residentKb();
  for (int c = 0; c < loop; ++c)
    if (call(job, out, lse) != 0)
      ++failures;
  long after = residentKb();
  long growth = after - before;
  printf("loop: %d calls, resident %ld -> %ld KiB, growth %s\n", loop, before,
         after, growth <= 1024 ? "<= 1 MiB" : "> 1 MiB");
  free(out);
  free(lse);
  for (int t = 0; t < threads; ++t) {
    free(jobs[t].q);
    free(jobs[t].k);
    free(jobs[t].v);
    free(jobs[t].expectedOut);
    free(jobs[t].expectedLse);
  }
  free(jobs);
  free(ids);
  return mismatches || failures || growth > 1024;
}
