{
  "targets": [
    {
      "target_name": "berth_native",
      "sources": [
        "src/addon.c",
        "src/napi-util.c",
        "src/fs-ops.c",
        "src/gunzip.c",
        "src/zstd.c",
        "src/direct-file.c",
        "src/mount-ops.c",
        "src/seqpacket.c",
        "src/seqpacket-connect.c"
      ],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lpthread", "-lzstd"]
    }
  ]
}
