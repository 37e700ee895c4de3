// RUN: attn-opt %s --attn-gpu-map-loops="num-threads=0" -verify-diagnostics

// A block of 0 threads (or more than 1024) is refused, located at the op
// the pass runs on.
// expected-error @below {{attn-gpu-map-loops: num-threads must be in [1, 1024], got 0}}
module {
}
