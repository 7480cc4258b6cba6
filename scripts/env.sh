# Sourced by the scripts that run MPI jobs on one machine: Open MPI refuses to run
# as root without these two, more ranks than cores need oversubscription, and
# each rank gets one BLAS/OpenMP thread unless the caller chose otherwise.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=${OMPI_MCA_rmaps_base_oversubscribe:-1}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
