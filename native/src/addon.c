// berth_native: syscalls Node lacks (mknod, xattrs on links, mount/umount2,
// SOCK_SEQPACKET unix sockets), plus in-thread gunzip and zstd decoding and
// page-cache-bypassing file writes for layer workers. All
// calls are synchronous except the seqpacket reader, which is driven by a
// uv_poll handle on the Node event loop.
#include "napi-util.h"

static napi_value init(napi_env env, napi_value exports) {
  berth_register_fs_ops(env, exports);
  berth_register_gunzip(env, exports);
  berth_register_zstd(env, exports);
  berth_register_direct_file(env, exports);
  berth_register_mount_ops(env, exports);
  berth_register_seqpacket(env, exports);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
