/* The quiet majority's week, four citizens at a time.
 *
 * Most citizen-weeks (about 93 % in the flagship mix) are quiet: no need,
 * no memory of one, no onset and no departure. Their whole week is one
 * comparison and two relaxations. Done one citizen at a time, inside the
 * citizen pass's large body, that cost several times the arithmetic
 * itself; here it is a tight loop over a batch, with an AVX2 version that
 * takes four citizens per vector of doubles.
 *
 * Both versions compute exactly what the citizen pass's quiet return
 * computes (sc_citizens.c, S_citizen), with the same IEEE operations in the
 * same order, in double where it uses double and float where it uses float,
 * and no fused multiply-add: the bits are the same whichever runs, and the
 * same as if every citizen had gone through S_citizen. The test the pass
 * repeats for the others agrees with this one, so no citizen is counted
 * twice or skipped. */
#include <string.h>

#include "cpu_features.h"
#include "sc.h"

/* The quiet test and update for one citizen; 1 if quiet. */
static inline int S_quiet_one(const sc_params *P, sc_citizens *c, const double *onset_hood,
                              const double z_class[2], size_t i, uint32_t w)
{
    double u = ps_rng_u01(w);
    if (u < P->turnover) return 0; /* an adult leaves: the pass replaces them */
    double u0 = (u - P->turnover) / (1 - P->turnover);
    double z = z_class[(c->flags[i] & CF_HIGH) >> 5];
    double a = c->assets[i];
    if (!(c->status[i] == ST_NONE && c->relapse[i] == 0 &&
          u0 >= z * (1 - P->psi * a) * onset_hood[c->hood[i]]))
        return 0;
    sc_relax_quiet(c, i, P, a);
    return 1;
}

/* from citizen j0 of the batch on */
static uint64_t S_screen_portable(sc_state *st, size_t i0, size_t j0, size_t m,
                                  const uint32_t (*first)[4], const double z_class[2])
{
    uint64_t quiet = 0;
    for (size_t j = j0; j < m; j++)
        quiet |= (uint64_t)S_quiet_one(st->prm, &st->c, st->onset_hood, z_class, i0 + j,
                                       first[j][0])
                 << j;
    return quiet;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* avx2 only: no "fma", so the compiler cannot fuse a multiply and an add
 * (the portable path never does, and a fused result rounds differently) */
__attribute__((target("avx2"))) static uint64_t
S_screen_avx2(sc_state *st, size_t i0, size_t m, const uint32_t (*first)[4],
              const double z_class[2])
{
    const sc_params *P = st->prm;
    sc_citizens *c = &st->c;
    const __m256d turnover = _mm256_set1_pd(P->turnover);
    const __m256d stay = _mm256_set1_pd(1 - P->turnover);
    const __m256d psi = _mm256_set1_pd(P->psi), one = _mm256_set1_pd(1.0);
    const __m256d a_relax = _mm256_set1_pd(P->assets_relax);
    const __m256d a_mean = _mm256_set1_pd(P->assets_mean);
    const __m256d e_relax = _mm256_set1_pd(P->eng_relax);
    const __m256d e_mean = _mm256_set1_pd(P->eng_mean);
    const __m256d z0 = _mm256_set1_pd(z_class[0]), z1 = _mm256_set1_pd(z_class[1]);
    const __m256d half = _mm256_set1_pd(0.5), two31 = _mm256_set1_pd(2147483648.0);
    const __m256d scale = _mm256_set1_pd(1.0 / 4294967296.0);
    const __m128i sign = _mm_set1_epi32((int)0x80000000u);
    const __m128i high = _mm_set1_epi32((int)CF_HIGH);
    const __m128i zero = _mm_setzero_si128();
    uint64_t quiet = 0;
    size_t j = 0;
    for (; j + 4 <= m; j += 4) {
        const size_t i = i0 + j;
        /* u = (w + 0.5) / 2^32 as ps_rng_u01: w - 2^31 converts exactly as a
         * signed integer, and adding 2^31 back is exact in double */
        __m128i w = _mm_setr_epi32((int)first[j][0], (int)first[j + 1][0],
                                   (int)first[j + 2][0], (int)first[j + 3][0]);
        __m256d u = _mm256_cvtepi32_pd(_mm_xor_si128(w, sign));
        u = _mm256_mul_pd(_mm256_add_pd(_mm256_add_pd(u, two31), half), scale);
        __m256d u0 = _mm256_div_pd(_mm256_sub_pd(u, turnover), stay);

        uint32_t st4, fl4;
        uint64_t rl4, hd4;
        memcpy(&st4, &c->status[i], 4);
        memcpy(&fl4, &c->flags[i], 4);
        memcpy(&rl4, &c->relapse[i], 8);
        memcpy(&hd4, &c->hood[i], 8);
        __m128i none = _mm_and_si128(
            _mm_cmpeq_epi32(_mm_cvtepu8_epi32(_mm_cvtsi32_si128((int)st4)), zero),
            _mm_cmpeq_epi32(_mm_cvtepu16_epi32(_mm_cvtsi64_si128((long long)rl4)), zero));
        __m128i is_high = _mm_cmpeq_epi32(
            _mm_and_si128(_mm_cvtepu8_epi32(_mm_cvtsi32_si128((int)fl4)), high), high);
        __m128i hood = _mm_cvtepu16_epi32(_mm_cvtsi64_si128((long long)hd4));

        __m256d z = _mm256_blendv_pd(z0, z1, _mm256_castsi256_pd(_mm256_cvtepi32_epi64(is_high)));
        __m128 af = _mm_loadu_ps(&c->assets[i]);
        __m256d a = _mm256_cvtps_pd(af);
        __m256d oh = _mm256_i32gather_pd(st->onset_hood, hood, 8);
        /* z * (1 - psi a) * onset_hood[h], left to right */
        __m256d thr = _mm256_mul_pd(_mm256_mul_pd(z, _mm256_sub_pd(one, _mm256_mul_pd(psi, a))), oh);

        __m256d q = _mm256_and_pd(_mm256_cmp_pd(u, turnover, _CMP_GE_OQ),
                                  _mm256_cmp_pd(u0, thr, _CMP_GE_OQ));
        q = _mm256_and_pd(q, _mm256_castsi256_pd(_mm256_cvtepi32_epi64(none)));
        int bits = _mm256_movemask_pd(q);
        if (!bits) continue;
        /* the 64-bit lane masks narrowed to 32 bits, for the float stores */
        __m128 q4 = _mm_castsi128_ps(_mm256_castsi256_si128(_mm256_permutevar8x32_epi32(
            _mm256_castpd_si256(q), _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0))));

        /* assets: (float)(a + relax (mean - a)) */
        __m128 a_new = _mm256_cvtpd_ps(
            _mm256_add_pd(a, _mm256_mul_pd(a_relax, _mm256_sub_pd(a_mean, a))));
        /* engagement: e + (float)(relax (mean - (double)e)), the sum in float */
        __m128 ef = _mm_loadu_ps(&c->engagement[i]);
        __m128 e_step = _mm256_cvtpd_ps(
            _mm256_mul_pd(e_relax, _mm256_sub_pd(e_mean, _mm256_cvtps_pd(ef))));
        __m128 e_new = _mm_add_ps(ef, e_step);
        _mm_storeu_ps(&c->assets[i], _mm_blendv_ps(af, a_new, q4));
        _mm_storeu_ps(&c->engagement[i], _mm_blendv_ps(ef, e_new, q4));
        quiet |= (uint64_t)bits << j;
    }
    return quiet | S_screen_portable(st, i0, j, m, first, z_class);
}
#endif

uint64_t sc_quiet_screen(sc_state *st, size_t i0, size_t m, const uint32_t (*first)[4],
                         const double z_class[2])
{
#if defined(__x86_64__) && defined(__GNUC__)
    if (ps_cpu_avx2()) return S_screen_avx2(st, i0, m, first, z_class);
#endif
    return S_screen_portable(st, i0, 0, m, first, z_class);
}
