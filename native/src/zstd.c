// Synchronous streaming zstd decompression on the system's libzstd: layers with
// the +zstd media types (Node 20 has no zstd decoder). Same shape as gunzip.c:
// push input, get the output it completes; consecutive frames read as one stream.
#include "napi-util.h"
#include <stdlib.h>
#include <zstd.h>

typedef struct {
  ZSTD_DStream *ds;
  bool frame_done; // the last frame ended and was flushed: a clean end is possible
  bool any_input;
  unsigned char *out;
  size_t out_size;
} zstd_state;

static void zstd_release(zstd_state *st) {
  if (st->ds != NULL) ZSTD_freeDStream(st->ds);
  st->ds = NULL;
  free(st->out);
  st->out = NULL;
}

static void zstd_finalize(napi_env env, void *data, void *hint) {
  zstd_release(data);
  free(data);
}

// Decoder errors carry code ERR_ZSTD (node:zlib's carry Z_*).
static napi_value throw_zstd(napi_env env, const char *msg) {
  return berth_throw_coded(env, "ERR_ZSTD", msg);
}

static zstd_state *get_state(napi_env env, napi_value v) {
  zstd_state *st = NULL;
  if (napi_get_value_external(env, v, (void **)&st) != napi_ok || st == NULL) {
    napi_throw_type_error(env, NULL, "not a zstd handle");
    return NULL;
  }
  if (st->ds == NULL) {
    throw_zstd(env, "zstd handle is closed");
    return NULL;
  }
  return st;
}

// zstdCreate() -> handle
static napi_value js_zstd_create(napi_env env, napi_callback_info info) {
  zstd_state *st = calloc(1, sizeof *st);
  napi_value handle;
  if (st == NULL) return throw_zstd(env, "out of memory");
  st->ds = ZSTD_createDStream();
  st->out_size = ZSTD_DStreamOutSize();
  st->out = malloc(st->out_size);
  if (st->ds == NULL || st->out == NULL || ZSTD_isError(ZSTD_initDStream(st->ds))) {
    zstd_release(st);
    free(st);
    return throw_zstd(env, "cannot initialise zstd");
  }
  st->frame_done = true;
  if (napi_create_external(env, st, zstd_finalize, NULL, &handle) != napi_ok) {
    zstd_release(st);
    free(st);
    return NULL;
  }
  return handle;
}

// zstdPush(handle, input) -> Buffer[]
static napi_value js_zstd_push(napi_env env, napi_callback_info info) {
  napi_value argv[2], chunks;
  void *data = NULL;
  size_t len = 0;
  uint32_t count = 0;
  if (berth_get_args(env, info, 2, argv, NULL)) return NULL;
  zstd_state *st = get_state(env, argv[0]);
  if (st == NULL) return NULL;
  if (napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "input must be a Buffer");
    return NULL;
  }
  napi_create_array(env, &chunks);
  if (len > 0) st->any_input = true;
  ZSTD_inBuffer in = { data, len, 0 };
  for (;;) {
    ZSTD_outBuffer out = { st->out, st->out_size, 0 };
    size_t ret = ZSTD_decompressStream(st->ds, &out, &in);
    if (ZSTD_isError(ret)) return throw_zstd(env, ZSTD_getErrorName(ret));
    st->frame_done = ret == 0;
    if (out.pos > 0 && berth_append_copy(env, chunks, &count, st->out, out.pos) != 0) return NULL;
    // Done with this input once it is consumed and the output buffer was not filled
    // (a full buffer may mean more output is pending inside the decoder).
    if (in.pos == in.size && out.pos < out.size) break;
  }
  return chunks;
}

// zstdEnd(handle): frees the decoder; throws when the input stopped inside a frame.
static napi_value js_zstd_end(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (berth_get_args(env, info, 1, argv, NULL)) return NULL;
  zstd_state *st = get_state(env, argv[0]);
  if (st == NULL) return NULL;
  bool complete = st->frame_done && st->any_input;
  zstd_release(st);
  if (!complete) return throw_zstd(env, "unexpected end of zstd stream");
  return berth_undefined(env);
}

void berth_register_zstd(napi_env env, napi_value exports) {
  berth_export_fn(env, exports, "zstdCreate", js_zstd_create);
  berth_export_fn(env, exports, "zstdPush", js_zstd_push);
  berth_export_fn(env, exports, "zstdEnd", js_zstd_end);
}
