// The GSL headers SharedSavings uses, and nothing else.
// Only Sources/Stochastics/GSL.swift imports this module.
#ifndef SHAREDSAVINGS_CGSL_SHIM_H
#define SHAREDSAVINGS_CGSL_SHIM_H

// Inline gsl_rng_uniform and friends into Swift (about 10 % faster draws).
#ifndef HAVE_INLINE
#define HAVE_INLINE 1
#endif

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_qrng.h>

/// The mt19937 generator's state, as GSL lays it out (gsl/rng/mt.c). Filling all 624
/// words from a seed stream gives every block a distinct, full-width starting state;
/// gsl_rng_set alone keeps only 32 bits of the seed.
typedef struct {
    unsigned long mt[624];
    int mti;
} sharedsavings_mt19937_state;

#endif
