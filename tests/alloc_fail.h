/* Allocation failure on demand (tests/alloc_fail.c). */
#ifndef TEST_ALLOC_FAIL_H
#define TEST_ALLOC_FAIL_H

/* From now on, the k-th allocation (counting from 1) fails; 0: none does.
 * Resets the count. */
void tp_alloc_fail_at(long k);

/* The allocations counted since the last tp_alloc_fail_at. */
long tp_alloc_count(void);

#endif
