// SPDX-License-Identifier: MIT
// Encoders for the tests of Fetching's content decoding: bodies compressed by the reference libraries.
#include <zlib.h>
#include <zstd.h>
#include <brotli/encode.h>

static inline int fw_deflate_init(z_streamp stream, int level, int window_bits) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
}
