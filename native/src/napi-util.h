// Shared helpers for the addon: argument decoding and Node-style errno errors.
#ifndef BERTH_NAPI_UTIL_H
#define BERTH_NAPI_UTIL_H

#define _GNU_SOURCE
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BERTH_PATH_MAX 4096

// Throws an Error like Node's fs errors: message "ECODE: text, syscall 'path'",
// with .code, .errno (negative), .syscall and .path. Always returns NULL.
napi_value berth_throw_errno(napi_env env, int err, const char *syscall, const char *path);

// Copies a JS string argument into buf (NUL-terminated). Throws and returns -1
// when the value is not a string or does not fit.
int berth_get_string(napi_env env, napi_value v, char *buf, size_t len, const char *what);

// Reads an integer argument (number or bigint). Throws and returns -1 on failure.
int berth_get_int64(napi_env env, napi_value v, int64_t *out, const char *what);

// Fetches exactly `want` arguments; throws a TypeError when fewer were passed.
int berth_get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, void **data);

napi_value berth_undefined(napi_env env);

// Throws an Error with this .code and message (decoder errors). Always returns NULL.
napi_value berth_throw_coded(napi_env env, const char *code, const char *msg);

// Appends a Buffer holding a copy of data[0..len) to `array` at index *count, then
// increments *count. Returns -1 (with an exception pending) on failure.
int berth_append_copy(napi_env env, napi_value array, uint32_t *count, const void *data, size_t len);

// Registers this module's functions on exports.
void berth_register_fs_ops(napi_env env, napi_value exports);
void berth_register_gunzip(napi_env env, napi_value exports);
void berth_register_zstd(napi_env env, napi_value exports);
void berth_register_direct_file(napi_env env, napi_value exports);
void berth_register_mount_ops(napi_env env, napi_value exports);
void berth_register_seqpacket(napi_env env, napi_value exports);
void berth_register_seqpacket_connect(napi_env env, napi_value exports);
void berth_export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb);

#endif
