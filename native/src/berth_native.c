// Syscalls Node lacks: mknod, extended attributes on links, mount/umount2.
// Each function is synchronous and throws an Error carrying code/errno/syscall
// like Node's own fs errors.
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/xattr.h>

#define PATH_MAX_LEN 4096
#define DATA_MAX_LEN 65536

static const char *errno_code(int err) {
  switch (err) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EACCES: return "EACCES";
    case EBUSY: return "EBUSY";
    case EINVAL: return "EINVAL";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOSPC: return "ENOSPC";
    case ENOTSUP: return "ENOTSUP";
    case ENODATA: return "ENODATA";
    case ERANGE: return "ERANGE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ELOOP: return "ELOOP";
    case EROFS: return "EROFS";
    case ENODEV: return "ENODEV";
    default: return "EUNKNOWN";
  }
}

static napi_value throw_errno(napi_env env, int err, const char *syscall, const char *path) {
  char msg[PATH_MAX_LEN + 128];
  snprintf(msg, sizeof msg, "%s: %s, %s '%s'", errno_code(err), strerror(err), syscall, path ? path : "");
  napi_value message, error, code, errnum, sc;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, NULL, message, &error);
  napi_create_string_utf8(env, errno_code(err), NAPI_AUTO_LENGTH, &code);
  napi_create_int32(env, -err, &errnum);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sc);
  napi_set_named_property(env, error, "code", code);
  napi_set_named_property(env, error, "errno", errnum);
  napi_set_named_property(env, error, "syscall", sc);
  napi_throw(env, error);
  return NULL;
}

static int get_string(napi_env env, napi_value v, char *buf, size_t len) {
  size_t got = 0;
  if (napi_get_value_string_utf8(env, v, buf, len, &got) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected a string argument");
    return -1;
  }
  if (got >= len - 1) {
    napi_throw_range_error(env, NULL, "string argument too long");
    return -1;
  }
  return 0;
}

static napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// mknod(path, mode, dev)
static napi_value js_mknod(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char path[PATH_MAX_LEN];
  uint32_t mode = 0;
  double dev = 0;
  if (get_string(env, argv[0], path, sizeof path)) return NULL;
  napi_get_value_uint32(env, argv[1], &mode);
  napi_get_value_double(env, argv[2], &dev);
  if (mknod(path, (mode_t)mode, (dev_t)dev) != 0) return throw_errno(env, errno, "mknod", path);
  return undefined(env);
}

// makedev(major, minor) -> number
static napi_value js_makedev(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint32_t major_n = 0, minor_n = 0;
  napi_get_value_uint32(env, argv[0], &major_n);
  napi_get_value_uint32(env, argv[1], &minor_n);
  napi_value out;
  napi_create_double(env, (double)makedev(major_n, minor_n), &out);
  return out;
}

// lsetxattr(path, name, buffer)
static napi_value js_lsetxattr(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char path[PATH_MAX_LEN], name[256];
  void *data = NULL;
  size_t len = 0;
  if (get_string(env, argv[0], path, sizeof path)) return NULL;
  if (get_string(env, argv[1], name, sizeof name)) return NULL;
  if (napi_get_buffer_info(env, argv[2], &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "value must be a Buffer");
    return NULL;
  }
  if (lsetxattr(path, name, data, len, 0) != 0) return throw_errno(env, errno, "lsetxattr", path);
  return undefined(env);
}

// lgetxattr(path, name) -> Buffer | null
static napi_value js_lgetxattr(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char path[PATH_MAX_LEN], name[256];
  if (get_string(env, argv[0], path, sizeof path)) return NULL;
  if (get_string(env, argv[1], name, sizeof name)) return NULL;
  ssize_t n = lgetxattr(path, name, NULL, 0);
  if (n < 0) {
    if (errno == ENODATA) {
      napi_value nul;
      napi_get_null(env, &nul);
      return nul;
    }
    return throw_errno(env, errno, "lgetxattr", path);
  }
  void *out_data = NULL;
  napi_value buf;
  napi_create_buffer(env, (size_t)n, &out_data, &buf);
  if (n > 0 && lgetxattr(path, name, out_data, (size_t)n) < 0) return throw_errno(env, errno, "lgetxattr", path);
  return buf;
}

// llistxattr(path) -> string[]
static napi_value js_llistxattr(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char path[PATH_MAX_LEN];
  if (get_string(env, argv[0], path, sizeof path)) return NULL;
  napi_value arr;
  napi_create_array(env, &arr);
  ssize_t n = llistxattr(path, NULL, 0);
  if (n < 0) {
    if (errno == ENOTSUP) return arr;
    return throw_errno(env, errno, "llistxattr", path);
  }
  if (n == 0) return arr;
  char *names = malloc((size_t)n);
  if (!names) return throw_errno(env, ENOMEM, "llistxattr", path);
  n = llistxattr(path, names, (size_t)n);
  if (n < 0) {
    int err = errno;
    free(names);
    return throw_errno(env, err, "llistxattr", path);
  }
  uint32_t i = 0;
  for (char *p = names; p < names + n; p += strlen(p) + 1) {
    napi_value s;
    napi_create_string_utf8(env, p, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, i++, s);
  }
  free(names);
  return arr;
}

// mount(source, target, fstype, flags, data)
static napi_value js_mount(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char source[PATH_MAX_LEN], target[PATH_MAX_LEN], fstype[64];
  char *data = malloc(DATA_MAX_LEN);
  if (!data) return throw_errno(env, ENOMEM, "mount", "");
  double flags = 0;
  if (get_string(env, argv[0], source, sizeof source) || get_string(env, argv[1], target, sizeof target) ||
      get_string(env, argv[2], fstype, sizeof fstype) || get_string(env, argv[4], data, DATA_MAX_LEN)) {
    free(data);
    return NULL;
  }
  napi_get_value_double(env, argv[3], &flags);
  int rc = mount(source, target, fstype, (unsigned long)flags, data[0] ? data : NULL);
  int err = errno;
  free(data);
  if (rc != 0) return throw_errno(env, err, "mount", target);
  return undefined(env);
}

// umount2(target, flags)
static napi_value js_umount2(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char target[PATH_MAX_LEN];
  int32_t flags = 0;
  if (get_string(env, argv[0], target, sizeof target)) return NULL;
  napi_get_value_int32(env, argv[1], &flags);
  if (umount2(target, flags) != 0) return throw_errno(env, errno, "umount2", target);
  return undefined(env);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"mknod", NULL, js_mknod, NULL, NULL, NULL, napi_default, NULL},
    {"makedev", NULL, js_makedev, NULL, NULL, NULL, napi_default, NULL},
    {"lsetxattr", NULL, js_lsetxattr, NULL, NULL, NULL, napi_default, NULL},
    {"lgetxattr", NULL, js_lgetxattr, NULL, NULL, NULL, napi_default, NULL},
    {"llistxattr", NULL, js_llistxattr, NULL, NULL, NULL, napi_default, NULL},
    {"mount", NULL, js_mount, NULL, NULL, NULL, napi_default, NULL},
    {"umount2", NULL, js_umount2, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
