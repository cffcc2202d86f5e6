#include "ranks.h"

#include <stdlib.h>

#ifdef PLACESIM_MPI
#include <mpi.h>

static int S_live;

/* Launchers announce themselves in the environment: Open MPI's mpirun,
 * and PMI/PMIx (srun, hydra). */
static int S_launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

void ps_ranks_init(int *argc, char ***argv)
{
    if (!S_launched()) return;
    if (MPI_Init(argc, argv) == MPI_SUCCESS) S_live = 1;
}

void ps_ranks_finalize(void)
{
    if (S_live) MPI_Finalize();
    S_live = 0;
}

int ps_ranks_rank(void)
{
    int r = 0;
    if (S_live) MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int ps_ranks_size(void)
{
    int n = 1;
    if (S_live) MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

void ps_ranks_barrier(void)
{
    if (S_live) MPI_Barrier(MPI_COMM_WORLD);
}

long ps_ranks_max(long value)
{
    long out = value;
    if (S_live) MPI_Allreduce(&value, &out, 1, MPI_LONG, MPI_MAX, MPI_COMM_WORLD);
    return out;
}

long ps_ranks_sum(long value)
{
    long out = value;
    if (S_live) MPI_Allreduce(&value, &out, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    return out;
}

#else

void ps_ranks_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
}
void ps_ranks_finalize(void) {}
int ps_ranks_rank(void) { return 0; }
int ps_ranks_size(void) { return 1; }
void ps_ranks_barrier(void) {}
long ps_ranks_max(long value) { return value; }
long ps_ranks_sum(long value) { return value; }

#endif
