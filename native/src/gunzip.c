// Synchronous streaming gunzip on zlib (the copy Node itself links and exports).
// Node's zlib streams run every chunk through the libuv pool; a layer worker
// thread that inflates in place saves those thread hops, which on two cores cost
// more than the inflating itself. Concatenated gzip members are read as one
// stream, like Go's gzip reader that Docker uses.
#include "napi-util.h"
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define OUT_CHUNK (256 * 1024)

typedef struct {
  z_stream zs;
  bool open;        // inflateInit2 succeeded and inflateEnd not yet called
  bool member_done; // the last member ended (Z_STREAM_END); a clean end is possible
  unsigned char *out;
} gunzip_state;

static void gunzip_release(gunzip_state *st) {
  if (st->open) inflateEnd(&st->zs);
  st->open = false;
  free(st->out);
  st->out = NULL;
}

static void gunzip_finalize(napi_env env, void *data, void *hint) {
  gunzip_state *st = data;
  gunzip_release(st);
  free(st);
}

static const char *zlib_code(int rc) {
  switch (rc) {
    case Z_NEED_DICT: return "Z_NEED_DICT";
    case Z_DATA_ERROR: return "Z_DATA_ERROR";
    case Z_MEM_ERROR: return "Z_MEM_ERROR";
    case Z_BUF_ERROR: return "Z_BUF_ERROR";
    default: return "Z_STREAM_ERROR";
  }
}

static gunzip_state *get_state(napi_env env, napi_value v) {
  gunzip_state *st = NULL;
  if (napi_get_value_external(env, v, (void **)&st) != napi_ok || st == NULL) {
    napi_throw_type_error(env, NULL, "not a gunzip handle");
    return NULL;
  }
  if (!st->open) {
    berth_throw_coded(env, "ERR_ZLIB_CLOSED", "gunzip handle is closed");
    return NULL;
  }
  return st;
}

// gunzipCreate() -> handle
static napi_value js_gunzip_create(napi_env env, napi_callback_info info) {
  gunzip_state *st = calloc(1, sizeof *st);
  napi_value handle;
  if (st == NULL) return berth_throw_coded(env, "Z_MEM_ERROR", "out of memory");
  st->out = malloc(OUT_CHUNK);
  if (st->out == NULL || inflateInit2(&st->zs, 16 + MAX_WBITS) != Z_OK) {
    free(st->out);
    free(st);
    return berth_throw_coded(env, "Z_MEM_ERROR", "cannot initialise zlib");
  }
  st->open = true;
  if (napi_create_external(env, st, gunzip_finalize, NULL, &handle) != napi_ok) {
    gunzip_release(st);
    free(st);
    return NULL;
  }
  return handle;
}

// gunzipPush(handle, input) -> Buffer[]: every byte the input completes, in chunks.
static napi_value js_gunzip_push(napi_env env, napi_callback_info info) {
  napi_value argv[2], chunks;
  void *in = NULL;
  size_t in_len = 0;
  uint32_t count = 0;
  if (berth_get_args(env, info, 2, argv, NULL)) return NULL;
  gunzip_state *st = get_state(env, argv[0]);
  if (st == NULL) return NULL;
  if (napi_get_buffer_info(env, argv[1], &in, &in_len) != napi_ok) {
    napi_throw_type_error(env, NULL, "input must be a Buffer");
    return NULL;
  }
  napi_create_array(env, &chunks);
  st->zs.next_in = in;
  st->zs.avail_in = (uInt)in_len;
  for (;;) {
    if (st->member_done) {
      if (st->zs.avail_in == 0) break;
      inflateReset(&st->zs); // another member follows
      st->member_done = false;
    }
    st->zs.next_out = st->out;
    st->zs.avail_out = OUT_CHUNK;
    int rc = inflate(&st->zs, Z_NO_FLUSH);
    size_t got = OUT_CHUNK - st->zs.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      const char *msg = st->zs.msg != NULL ? st->zs.msg : "invalid gzip data";
      return berth_throw_coded(env, zlib_code(rc), msg);
    }
    if (got > 0 && berth_append_copy(env, chunks, &count, st->out, got) != 0) return NULL;
    if (rc == Z_STREAM_END) { st->member_done = true; continue; }
    if (rc == Z_BUF_ERROR || (st->zs.avail_in == 0 && st->zs.avail_out != 0)) break; // needs more input
  }
  return chunks;
}

// gunzipEnd(handle): frees zlib's state; throws when the input stopped inside a member.
static napi_value js_gunzip_end(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (berth_get_args(env, info, 1, argv, NULL)) return NULL;
  gunzip_state *st = get_state(env, argv[0]);
  if (st == NULL) return NULL;
  bool complete = st->member_done;
  gunzip_release(st);
  if (!complete) return berth_throw_coded(env, "Z_BUF_ERROR", "unexpected end of file");
  return berth_undefined(env);
}

void berth_register_gunzip(napi_env env, napi_value exports) {
  berth_export_fn(env, exports, "gunzipCreate", js_gunzip_create);
  berth_export_fn(env, exports, "gunzipPush", js_gunzip_push);
  berth_export_fn(env, exports, "gunzipEnd", js_gunzip_end);
}
