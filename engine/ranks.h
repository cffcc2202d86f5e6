/* The processes of a distributed sweep: MPI ranks when placesim is built
 * with PLACESIM_MPI and started by a launcher (mpirun), otherwise one
 * process of rank 0. Without a launcher an MPI build runs as one process
 * and never initialises MPI, so the other commands and a plain
 * `placesim sweep` behave exactly as in a build without MPI. */
#ifndef PS_RANKS_H
#define PS_RANKS_H

/* Initialises MPI when built with it and started by a launcher. */
void ps_ranks_init(int *argc, char ***argv);
void ps_ranks_finalize(void);
int ps_ranks_rank(void);
int ps_ranks_size(void);
/* Waits for every rank. */
void ps_ranks_barrier(void);
/* The largest of every rank's value. */
long ps_ranks_max(long value);
/* The sum over every rank. */
long ps_ranks_sum(long value);

#endif
