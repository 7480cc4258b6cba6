#include <gtest/gtest.h>

#include "dist/process.h"

using mh::dist::placement_from_env;

TEST(Placement, ReadsOpenMpiVariables) {
  const char* env[] = {"OMPI_COMM_WORLD_RANK=3", "OMPI_COMM_WORLD_SIZE=8", "OMPI_COMM_WORLD_LOCAL_RANK=1",
                       "OMPI_COMM_WORLD_LOCAL_SIZE=4", "PATH=/bin", nullptr};
  auto p = placement_from_env(env);
  EXPECT_EQ(p.launcher, "mpirun");
  EXPECT_EQ(p.rank, 3);
  EXPECT_EQ(p.size, 8);
  EXPECT_EQ(p.local_rank, 1);
  EXPECT_EQ(p.local_size, 4);
}

TEST(Placement, ReadsSlurmVariables) {
  const char* env[] = {"SLURM_PROCID=5", "SLURM_NTASKS=12", "SLURM_LOCALID=2", nullptr};
  auto p = placement_from_env(env);
  EXPECT_EQ(p.launcher, "srun");
  EXPECT_EQ(p.rank, 5);
  EXPECT_EQ(p.size, 12);
  EXPECT_EQ(p.local_rank, 2);
}

TEST(Placement, OpenMpiWinsOverSlurmInsideAnAllocation) {
  // mpirun started inside an sbatch job still sees SLURM_* of the batch step.
  const char* env[] = {"SLURM_PROCID=0", "SLURM_NTASKS=1", "OMPI_COMM_WORLD_RANK=1", "OMPI_COMM_WORLD_SIZE=2",
                       nullptr};
  auto p = placement_from_env(env);
  EXPECT_EQ(p.launcher, "mpirun");
  EXPECT_EQ(p.rank, 1);
  EXPECT_EQ(p.size, 2);
}

TEST(Placement, NoLauncherIsASingleton) {
  const char* env[] = {"HOME=/root", nullptr};
  auto p = placement_from_env(env);
  EXPECT_EQ(p.launcher, "singleton");
  EXPECT_EQ(p.rank, 0);
  EXPECT_EQ(p.size, 1);
}
