// SPDX-License-Identifier: MIT
// libcurl for Swift. curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, which
// Swift cannot call; these typed inline shims make each argument type explicit.
#ifndef FEEDWATCH_CCURL_SHIM_H
#define FEEDWATCH_CCURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode fw_curl_easy_setopt_long(CURL *_Nonnull h, CURLoption o, long v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode fw_curl_easy_setopt_off(CURL *_Nonnull h, CURLoption o, curl_off_t v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode fw_curl_easy_setopt_ptr(CURL *_Nonnull h, CURLoption o, const void *_Nullable v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode fw_curl_easy_setopt_string(CURL *_Nonnull h, CURLoption o, const char *_Nullable v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode fw_curl_easy_setopt_slist(CURL *_Nonnull h, CURLoption o, struct curl_slist *_Nullable v) {
    return curl_easy_setopt(h, o, v);
}
typedef size_t (*fw_curl_data_callback)(char *_Nonnull, size_t, size_t, void *_Nullable);
static inline CURLcode fw_curl_easy_setopt_data_callback(CURL *_Nonnull h, CURLoption o, fw_curl_data_callback _Nullable f) {
    return curl_easy_setopt(h, o, f);
}
typedef int (*fw_curl_xferinfo_callback)(void *_Nullable, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
static inline CURLcode fw_curl_easy_setopt_xferinfo(CURL *_Nonnull h, fw_curl_xferinfo_callback _Nullable f) {
    return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f);
}
static inline CURLcode fw_curl_easy_getinfo_long(CURL *_Nonnull h, CURLINFO i, long *_Nonnull v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode fw_curl_easy_getinfo_string(CURL *_Nonnull h, CURLINFO i, char *_Nullable *_Nonnull v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode fw_curl_easy_getinfo_off(CURL *_Nonnull h, CURLINFO i, curl_off_t *_Nonnull v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode fw_curl_easy_getinfo_ptr(CURL *_Nonnull h, CURLINFO i, void *_Nullable *_Nonnull v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode fw_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_ALL); }
static inline CURLMcode fw_curl_multi_setopt_long(CURLM *_Nonnull m, CURLMoption o, long v) {
    return curl_multi_setopt(m, o, v);
}

#endif
