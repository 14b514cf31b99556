/**
 * Exact-form GELU in WGSL, which has no erf. erfc(|z|) uses the Abramowitz & Stegun 7.1.26
 * rational approximation (absolute error <= 1.5e-7); for negative inputs GELU takes erfc directly
 * instead of 1 + erf, so the tail keeps its relative precision rather than cancelling to zero.
 */
export const WGSL_ERF = `
fn erfc_pos(z: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.3275911 * z);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return poly * exp(-z * z);
}
fn gelu(x: f32) -> f32 {
  let z = x * 0.70710678118654752;
  let e = erfc_pos(abs(z));
  return select(0.5 * x * e, 0.5 * x * (2.0 - e), z >= 0.0);
}
`;
