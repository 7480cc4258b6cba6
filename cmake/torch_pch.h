// The precompiled header shared by every LibTorch user (see mh_use_pch in
// CMakeLists.txt): parsing <torch/torch.h> costs ~15 s per translation unit.
#pragma once
#include <torch/torch.h>
