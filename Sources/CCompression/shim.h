// SPDX-License-Identifier: MIT
// The decoders of the content codings libcurl asks for (gzip, deflate, br, zstd): Fetching decodes
// bodies itself, off the transfer threads, with decoder states it reuses.
#include <zlib.h>
#include <zstd.h>
#include <brotli/decode.h>

// inflateInit2 is a macro; Swift sees this instead.
static inline int fw_inflate_init(z_streamp stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
