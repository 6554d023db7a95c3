//! The allocator the CLI and the Python wheel ship with, for every bench (`mod alloc;`): the library's
//! feature `mimalloc` provides it itself when on.

#[cfg(not(feature = "mimalloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
