/// Student's t distribution, for confidence intervals from a few independent estimates
/// (the block means of a Latin hypercube or Sobol run).
public enum StudentT {
    /// The p-quantile with `degreesOfFreedom` > 0 (GSL's `gsl_cdf_tdist_Pinv`); NaN otherwise.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        guard nu > 0, p > 0, p < 1 else { return .nan }
        return GSLCDF.tQuantile(p, nu: nu)
    }
}
