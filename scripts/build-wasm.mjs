// Placeholder until the kernel build lands.
