// mknod/makedev and extended attributes that never follow symlinks (l*xattr).
#include "napi-util.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/xattr.h>

#define XATTR_NAME_LEN 256

// mknod(path, mode, dev): mode carries the file type (S_IFCHR/S_IFBLK/S_IFIFO).
static napi_value js_mknod(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  char path[BERTH_PATH_MAX];
  int64_t mode = 0, dev = 0;
  if (berth_get_args(env, info, 3, argv, NULL)) return NULL;
  if (berth_get_string(env, argv[0], path, sizeof path, "path")) return NULL;
  if (berth_get_int64(env, argv[1], &mode, "mode") || berth_get_int64(env, argv[2], &dev, "dev")) return NULL;
  if (mknod(path, (mode_t)mode, (dev_t)dev) != 0) return berth_throw_errno(env, errno, "mknod", path);
  return berth_undefined(env);
}

// makedev(major, minor) -> number; a bigint when the value exceeds 2^53.
static napi_value js_makedev(napi_env env, napi_callback_info info) {
  napi_value argv[2], out;
  int64_t major_n = 0, minor_n = 0;
  if (berth_get_args(env, info, 2, argv, NULL)) return NULL;
  if (berth_get_int64(env, argv[0], &major_n, "major") || berth_get_int64(env, argv[1], &minor_n, "minor")) return NULL;
  if (major_n < 0 || minor_n < 0 || major_n > 0xffffffffLL || minor_n > 0xffffffffLL) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "device numbers must be 32-bit unsigned integers");
    return NULL;
  }
  uint64_t dev = makedev((unsigned int)major_n, (unsigned int)minor_n);
  if (dev <= 9007199254740991ULL)
    napi_create_double(env, (double)dev, &out);
  else
    napi_create_bigint_uint64(env, dev, &out);
  return out;
}

// lsetxattr(path, name, value: Buffer)
static napi_value js_lsetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  char path[BERTH_PATH_MAX], name[XATTR_NAME_LEN];
  void *data = NULL;
  size_t len = 0;
  bool is_buf = false;
  if (berth_get_args(env, info, 3, argv, NULL)) return NULL;
  if (berth_get_string(env, argv[0], path, sizeof path, "path")) return NULL;
  if (berth_get_string(env, argv[1], name, sizeof name, "name")) return NULL;
  napi_is_buffer(env, argv[2], &is_buf);
  if (!is_buf) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "value must be a Buffer");
    return NULL;
  }
  napi_get_buffer_info(env, argv[2], &data, &len);
  if (lsetxattr(path, name, len ? data : "", len, 0) != 0) return berth_throw_errno(env, errno, "lsetxattr", path);
  return berth_undefined(env);
}

// lgetxattr(path, name) -> Buffer, or null when the attribute is absent.
static napi_value js_lgetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[2], out;
  char path[BERTH_PATH_MAX], name[XATTR_NAME_LEN];
  if (berth_get_args(env, info, 2, argv, NULL)) return NULL;
  if (berth_get_string(env, argv[0], path, sizeof path, "path")) return NULL;
  if (berth_get_string(env, argv[1], name, sizeof name, "name")) return NULL;
  for (;;) {  // the value may grow between the size probe and the read: retry on ERANGE
    ssize_t n = lgetxattr(path, name, NULL, 0);
    if (n < 0) {
      if (errno == ENODATA) {
        napi_get_null(env, &out);
        return out;
      }
      return berth_throw_errno(env, errno, "lgetxattr", path);
    }
    char *tmp = malloc(n ? (size_t)n : 1);
    if (!tmp) return berth_throw_errno(env, ENOMEM, "lgetxattr", path);
    ssize_t got = n ? lgetxattr(path, name, tmp, (size_t)n) : 0;
    if (got < 0) {
      int err = errno;
      free(tmp);
      if (err == ERANGE) continue;
      if (err == ENODATA) {
        napi_get_null(env, &out);
        return out;
      }
      return berth_throw_errno(env, err, "lgetxattr", path);
    }
    void *dst = NULL;
    napi_create_buffer_copy(env, (size_t)got, tmp, &dst, &out);
    free(tmp);
    return out;
  }
}

// llistxattr(path) -> string[] (empty when the filesystem has no xattr support).
static napi_value js_llistxattr(napi_env env, napi_callback_info info) {
  napi_value argv[1], arr;
  char path[BERTH_PATH_MAX];
  if (berth_get_args(env, info, 1, argv, NULL)) return NULL;
  if (berth_get_string(env, argv[0], path, sizeof path, "path")) return NULL;
  napi_create_array(env, &arr);
  for (;;) {
    ssize_t n = llistxattr(path, NULL, 0);
    if (n < 0) {
      if (errno == ENOTSUP) return arr;
      return berth_throw_errno(env, errno, "llistxattr", path);
    }
    if (n == 0) return arr;
    char *names = malloc((size_t)n);
    if (!names) return berth_throw_errno(env, ENOMEM, "llistxattr", path);
    ssize_t got = llistxattr(path, names, (size_t)n);
    if (got < 0) {
      int err = errno;
      free(names);
      if (err == ERANGE) continue;
      return berth_throw_errno(env, err, "llistxattr", path);
    }
    uint32_t i = 0;
    for (char *p = names; p < names + got; p += strlen(p) + 1) {
      napi_value s;
      napi_create_string_utf8(env, p, NAPI_AUTO_LENGTH, &s);
      napi_set_element(env, arr, i++, s);
    }
    free(names);
    return arr;
  }
}

void berth_register_fs_ops(napi_env env, napi_value exports) {
  berth_export_fn(env, exports, "mknod", js_mknod);
  berth_export_fn(env, exports, "makedev", js_makedev);
  berth_export_fn(env, exports, "lsetxattr", js_lsetxattr);
  berth_export_fn(env, exports, "lgetxattr", js_lgetxattr);
  berth_export_fn(env, exports, "llistxattr", js_llistxattr);
}
