// Owns the shared precompiled header; the build reuses it for every target.
#include <torch/torch.h>
