/**
 * exp with ~2 ulp error in WGSL. WGSL (like Vulkan) allows exp an error of 3 + 2|x| ulp, and
 * SwiftShader uses that room: softmax over scores of magnitude ~100 (Swin V2's scaled cosine
 * attention) then lost ~1e-5 relative, enough to fail the 1e-4 model tolerance. Cody-Waite range
 * reduction x = n ln2 + r (ln2 split in two so n ln2 is exact), a degree-7 Taylor polynomial for
 * e^r on |r| <= ln2 / 2, and an exact scaling by 2^n.
 */
export const WGSL_EXP = `
fn exp_precise(x: f32) -> f32 {
  let xc = clamp(x, -87.33, 88.72);
  let n = round(xc * 1.4426950408889634);
  let r = (xc - n * 0.693145751953125) - n * 1.4286068203094172e-6;
  let p = 1.0 + r * (1.0 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 + r * (0.008333333333333333 + r * (0.001388888888888889 + r * 0.0001984126984126984))))));
  return ldexp(p, i32(n));
}
`;
