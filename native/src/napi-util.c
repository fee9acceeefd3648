// Argument decoding and errno errors shaped like Node's own (err.code 'EPERM',
// err.errno -1, err.syscall 'mknod', err.path), so callers can treat them alike.
#include "napi-util.h"
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <uv.h>

napi_value berth_throw_errno(napi_env env, int err, const char *syscall, const char *path) {
  char msg[BERTH_PATH_MAX + 256];
  const char *code = uv_err_name(-err);
  if (path)
    snprintf(msg, sizeof msg, "%s: %s, %s '%s'", code, uv_strerror(-err), syscall, path);
  else
    snprintf(msg, sizeof msg, "%s: %s, %s", code, uv_strerror(-err), syscall);
  napi_value message, error, v;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, NULL, message, &error);
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, error, "code", v);
  napi_create_int32(env, -err, &v);
  napi_set_named_property(env, error, "errno", v);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, error, "syscall", v);
  if (path) {
    napi_create_string_utf8(env, path, NAPI_AUTO_LENGTH, &v);
    napi_set_named_property(env, error, "path", v);
  }
  napi_throw(env, error);
  return NULL;
}

int berth_get_string(napi_env env, napi_value v, char *buf, size_t len, const char *what) {
  size_t got = 0;
  char msg[128];
  if (napi_get_value_string_utf8(env, v, NULL, 0, &got) != napi_ok) {
    snprintf(msg, sizeof msg, "%s must be a string", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
    return -1;
  }
  if (got + 1 > len) {
    snprintf(msg, sizeof msg, "%s is too long", what);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
    return -1;
  }
  napi_get_value_string_utf8(env, v, buf, len, &got);
  if (strlen(buf) != got) {
    snprintf(msg, sizeof msg, "%s must not contain NUL bytes", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", msg);
    return -1;
  }
  return 0;
}

int berth_get_int64(napi_env env, napi_value v, int64_t *out, const char *what) {
  napi_valuetype t;
  char msg[128];
  napi_typeof(env, v, &t);
  if (t == napi_bigint) {
    bool lossless = true;
    napi_get_value_bigint_int64(env, v, out, &lossless);
    if (lossless) return 0;
  } else if (t == napi_number) {
    double d = 0;
    napi_get_value_double(env, v, &d);
    if (d >= -9007199254740991.0 && d <= 9007199254740991.0 && d == (double)(int64_t)d) {
      *out = (int64_t)d;
      return 0;
    }
  }
  snprintf(msg, sizeof msg, "%s must be an integer", what);
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return -1;
}

int berth_get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, void **data) {
  size_t argc = want;
  napi_get_cb_info(env, info, &argc, argv, NULL, data);
  if (argc < want) {
    napi_throw_type_error(env, "ERR_MISSING_ARGS", "missing arguments");
    return -1;
  }
  return 0;
}

napi_value berth_undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

void berth_export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

napi_value berth_throw_coded(napi_env env, const char *code, const char *msg) {
  napi_value err, code_v, msg_v;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &msg_v);
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_v);
  napi_create_error(env, code_v, msg_v, &err);
  napi_throw(env, err);
  return NULL;
}

int berth_append_copy(napi_env env, napi_value array, uint32_t *count, const void *data, size_t len) {
  napi_value buf;
  if (napi_create_buffer_copy(env, len, data, NULL, &buf) != napi_ok) return -1;
  if (napi_set_element(env, array, (*count)++, buf) != napi_ok) return -1;
  return 0;
}
