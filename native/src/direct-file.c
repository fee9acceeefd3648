// Write-once files that bypass the page cache (O_DIRECT): downloaded blobs are
// rarely read back, and copying them into the page cache costs more CPU than the
// disk write. Data is staged in an aligned buffer and written in whole blocks; the
// unaligned tail is written after O_DIRECT is cleared. Filesystems without
// O_DIRECT (tmpfs), and devices that refuse the alignment, get ordinary writes.
#include "napi-util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALIGN 4096
#define STAGE (1024 * 1024)

typedef struct {
  int fd;
  unsigned char *stage; // ALIGN-aligned, STAGE bytes
  size_t used;
  off_t offset;
  char path[BERTH_PATH_MAX];
} direct_file;

static void direct_close(direct_file *f) {
  if (f->fd >= 0) close(f->fd);
  f->fd = -1;
  free(f->stage);
  f->stage = NULL;
}

static void direct_finalize(napi_env env, void *data, void *hint) {
  direct_close(data);
  free(data);
}

static direct_file *get_file(napi_env env, napi_value v) {
  direct_file *f = NULL;
  if (napi_get_value_external(env, v, (void **)&f) != napi_ok || f == NULL) {
    napi_throw_type_error(env, NULL, "not a direct file handle");
    return NULL;
  }
  if (f->fd < 0) {
    napi_throw_error(env, "EBADF", "direct file is closed");
    return NULL;
  }
  return f;
}

// Clears O_DIRECT: for the unaligned tail, and for devices whose blocks are larger than ALIGN.
static int drop_direct(int fd) {
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) return -1;
  if (!(fl & O_DIRECT)) return 1;
  return fcntl(fd, F_SETFL, fl & ~O_DIRECT);
}

static int write_all(direct_file *f, const unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t w = pwrite(f->fd, p, n, f->offset);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EINVAL && drop_direct(f->fd) == 0) continue; // alignment refused: write buffered
      return -1;
    }
    p += w;
    n -= (size_t)w;
    f->offset += w;
  }
  return 0;
}

// directFileOpen(path, mode) -> handle: creates or truncates the file.
static napi_value js_open(napi_env env, napi_callback_info info) {
  napi_value argv[2], handle;
  int64_t mode = 0;
  direct_file *f = calloc(1, sizeof *f);
  if (f == NULL) return berth_throw_errno(env, ENOMEM, "open", NULL);
  f->fd = -1;
  if (berth_get_args(env, info, 2, argv, NULL) || berth_get_string(env, argv[0], f->path, sizeof f->path, "path") ||
      berth_get_int64(env, argv[1], &mode, "mode")) {
    free(f);
    return NULL;
  }
  if (posix_memalign((void **)&f->stage, ALIGN, STAGE) != 0) {
    free(f);
    return berth_throw_errno(env, ENOMEM, "open", NULL);
  }
  int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
  f->fd = open(f->path, flags | O_DIRECT, (mode_t)mode);
  if (f->fd < 0 && errno == EINVAL) f->fd = open(f->path, flags, (mode_t)mode);
  if (f->fd < 0) {
    int err = errno;
    direct_close(f);
    napi_value e = berth_throw_errno(env, err, "open", f->path);
    free(f);
    return e;
  }
  if (napi_create_external(env, f, direct_finalize, NULL, &handle) != napi_ok) {
    direct_close(f);
    free(f);
    return NULL;
  }
  return handle;
}

// directFileWrite(handle, buffer): appends; whole staged blocks go to disk.
static napi_value js_write(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  void *data = NULL;
  size_t len = 0;
  if (berth_get_args(env, info, 2, argv, NULL)) return NULL;
  direct_file *f = get_file(env, argv[0]);
  if (f == NULL) return NULL;
  if (napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "data must be a Buffer");
    return NULL;
  }
  const unsigned char *p = data;
  while (len > 0) {
    size_t take = STAGE - f->used < len ? STAGE - f->used : len;
    memcpy(f->stage + f->used, p, take);
    f->used += take;
    p += take;
    len -= take;
    if (f->used == STAGE) {
      if (write_all(f, f->stage, STAGE) != 0) return berth_throw_errno(env, errno, "write", f->path);
      f->used = 0;
    }
  }
  return berth_undefined(env);
}

// directFileClose(handle): writes the staged rest and closes the file.
static napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (berth_get_args(env, info, 1, argv, NULL)) return NULL;
  direct_file *f = get_file(env, argv[0]);
  if (f == NULL) return NULL;
  int err = 0;
  size_t whole = f->used - f->used % ALIGN;
  if (whole > 0 && write_all(f, f->stage, whole) != 0) err = errno;
  if (err == 0 && f->used > whole) {
    if (drop_direct(f->fd) < 0 || write_all(f, f->stage + whole, f->used - whole) != 0) err = errno;
  }
  f->used = 0;
  if (close(f->fd) != 0 && err == 0 && errno != EINTR) err = errno;
  f->fd = -1;
  free(f->stage);
  f->stage = NULL;
  if (err != 0) return berth_throw_errno(env, err, "write", f->path);
  return berth_undefined(env);
}

// directFileDiscard(handle): closes without writing the staged rest (failed downloads).
static napi_value js_discard(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  direct_file *f = NULL;
  if (berth_get_args(env, info, 1, argv, NULL)) return NULL;
  if (napi_get_value_external(env, argv[0], (void **)&f) != napi_ok || f == NULL) {
    napi_throw_type_error(env, NULL, "not a direct file handle");
    return NULL;
  }
  direct_close(f);
  return berth_undefined(env);
}

static void free_aligned(napi_env env, void *data, void *hint) {
  free(data);
}

// alignedBuffer(size) -> Buffer whose memory starts on a 4096-byte boundary, for
// O_DIRECT writes through Node's own fs calls (which need aligned memory).
static napi_value js_aligned_buffer(napi_env env, napi_callback_info info) {
  napi_value argv[1], buf;
  int64_t size = 0;
  void *mem = NULL;
  if (berth_get_args(env, info, 1, argv, NULL) || berth_get_int64(env, argv[0], &size, "size")) return NULL;
  if (size <= 0 || size > (1 << 30)) {
    napi_throw_range_error(env, NULL, "size must be between 1 byte and 1 GiB");
    return NULL;
  }
  if (posix_memalign(&mem, ALIGN, (size_t)size) != 0) return berth_throw_errno(env, ENOMEM, "posix_memalign", NULL);
  if (napi_create_external_buffer(env, (size_t)size, mem, free_aligned, NULL, &buf) != napi_ok) {
    free(mem);
    return NULL;
  }
  return buf;
}

void berth_register_direct_file(napi_env env, napi_value exports) {
  berth_export_fn(env, exports, "alignedBuffer", js_aligned_buffer);
  berth_export_fn(env, exports, "directFileOpen", js_open);
  berth_export_fn(env, exports, "directFileWrite", js_write);
  berth_export_fn(env, exports, "directFileClose", js_close);
  berth_export_fn(env, exports, "directFileDiscard", js_discard);
}
