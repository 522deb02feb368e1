{
  "targets": [
    {
      "target_name": "posix_spawn",
      "sources": ["posix_spawn.c"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Werror"]
    }
  ]
}
