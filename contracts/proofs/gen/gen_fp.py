#!/usr/bin/env python3
"""Generates contracts/proofs/src/bls12_381/fp_generated.rs: the BLS12-381 base field's
Montgomery multiplication and squaring, fully unrolled for wasm32.

Elements are 14 limbs of 29 bits (R = 2^406). A product of two limbs is below 2^58, so a
column of up to 28 products (the a·b terms plus the reduction terms m·p) fits a u64 without
any carry handling: the product-scanning loop needs one accumulator and no 128-bit arithmetic,
which wasm32 would otherwise emulate with a call to `__multi3` per limb product.

Run `python3 contracts/proofs/gen/gen_fp.py` after changing it; a unit test checks that the
committed file is what this script generates.
"""
import pathlib

N = 14          # limbs
W = 29          # bits per limb
MASK = (1 << W) - 1
P = 0x1A0111EA397FE69A4B1BA7B6434BACD764774B84F38512BF6730D2A0F6B0F6241EABFFFEB153FFFFB9FEFFFFFFFFAAAB
N0 = (-pow(P, -1, 1 << W)) % (1 << W)   # -p^-1 mod 2^29
assert (P * N0 + 1) % (1 << W) == 0


def limbs(x):
    return [(x >> (W * i)) & MASK for i in range(N)]


def const_limbs(name, x, doc):
    body = ", ".join(str(l) for l in limbs(x))
    return f"/// {doc}\npub(super) const {name}: [u32; {N}] = [{body}];\n"


def mul_body(square):
    out = []
    out.append(f"    let a = &a.0;")
    if not square:
        out.append(f"    let b = &b.0;")
    for i in range(N):
        out.append(f"    let a{i} = u64::from(a[{i}]);")
    if not square:
        for i in range(N):
            out.append(f"    let b{i} = u64::from(b[{i}]);")
    out.append("    let mut acc: u64 = 0;")

    def product_terms(k):
        lines = []
        lo, hi = max(0, k - N + 1), min(k, N - 1)
        if not square:
            for i in range(lo, hi + 1):
                lines.append(f"    acc = acc.wrapping_add(a{i}.wrapping_mul(b{k - i}));")
        else:
            pairs = [(i, k - i) for i in range(lo, hi + 1) if i < k - i]
            if pairs:
                first = pairs[0]
                binding = "let mut cross" if len(pairs) > 1 else "let cross"
                lines.append(f"    {binding} = a{first[0]}.wrapping_mul(a{first[1]});")
                for i, j in pairs[1:]:
                    lines.append(f"    cross = cross.wrapping_add(a{i}.wrapping_mul(a{j}));")
                lines.append("    acc = acc.wrapping_add(cross << 1);")
            if k % 2 == 0 and k // 2 <= N - 1:
                h = k // 2
                lines.append(f"    acc = acc.wrapping_add(a{h}.wrapping_mul(a{h}));")
        return lines

    for k in range(N):
        out.extend(product_terms(k))
        for i in range(max(0, k - N + 1), k):
            out.append(f"    acc = acc.wrapping_add(m{i}.wrapping_mul(P{k - i}));")
        out.append(f"    let m{k} = acc.wrapping_mul(N0) & MASK;")
        out.append(f"    acc = acc.wrapping_add(m{k}.wrapping_mul(P0)) >> W;")
    for k in range(N, 2 * N - 1):
        out.extend(product_terms(k))
        for i in range(k - N + 1, N):
            out.append(f"    acc = acc.wrapping_add(m{i}.wrapping_mul(P{k - i}));")
        out.append(f"    let r{k - N} = (acc & MASK) as u32;")
        out.append("    acc >>= W;")
    out.append(f"    let r{N - 1} = acc as u32;")
    out.append("    Fp([" + ", ".join(f"r{i}" for i in range(N)) + "])")
    return "\n".join(out)


def add_sub_code():
    """Straight-line addition, subtraction and conditional reduction: at opt-level "z" loops over
    the limbs would stay loops, costing more than the multiplication."""
    out = []
    lim = ", ".join
    # reduce: value - modulus if that does not borrow, else value (all limbs < 2^29).
    out.append("/// `value − modulus` if that does not borrow, else `value`.")
    out.append("#[inline(never)]")
    out.append(f"pub(super) fn subtract_if_not_below(v: &[u32; {N}], m: &[u32; {N}]) -> [u32; {N}] {{")
    for i in range(N):
        prev = f".wrapping_sub(d{i-1} >> 31)" if i else ""
        out.append(f"    let d{i} = v[{i}].wrapping_sub(m[{i}]){prev};")
    out.append(f"    if d{N-1} >> 31 == 0 {{")
    out.append("        [" + lim(f"d{i} & MASK32" for i in range(N)) + "]")
    out.append("    } else {")
    out.append("        *v")
    out.append("    }")
    out.append("}")
    out.append("")
    out.append("/// `a + b`, below 2p for inputs below 2p.")
    out.append("#[inline(never)]")
    out.append("pub(super) fn add(a: &Fp, b: &Fp) -> Fp {")
    out.append("    let (a, b) = (&a.0, &b.0);")
    for i in range(N):
        prev = f".wrapping_add(s{i-1} >> W)" if i else ""
        out.append(f"    let s{i} = a[{i}].wrapping_add(b[{i}]){prev};")
    out.append("    Fp(subtract_if_not_below(&[" + lim(f"s{i} & MASK32" for i in range(N)) + "], &TWO_MODULUS))")
    out.append("}")
    out.append("")
    out.append("/// `a − b`, below 2p for inputs below 2p: adds 2p back when the difference wraps.")
    out.append("#[inline(never)]")
    out.append("pub(super) fn sub(a: &Fp, b: &Fp) -> Fp {")
    out.append("    let (a, b) = (&a.0, &b.0);")
    for i in range(N):
        prev = f".wrapping_sub(d{i-1} >> 31)" if i else ""
        out.append(f"    let d{i} = a[{i}].wrapping_sub(b[{i}]){prev};")
    out.append(f"    if d{N-1} >> 31 == 0 {{")
    out.append("        return Fp([" + lim(f"d{i} & MASK32" for i in range(N)) + "]);")
    out.append("    }")
    for i in range(N):
        prev = f".wrapping_add(e{i-1} >> W)" if i else ""
        out.append(f"    let e{i} = (d{i} & MASK32).wrapping_add(TWO_MODULUS[{i}]){prev};")
    out.append("    Fp([" + lim(f"e{i} & MASK32" for i in range(N)) + "])")
    out.append("}")
    return "\n".join(out) + "\n"


def unpack_code():
    """Straight-line split of a 384-bit big-endian number into 29-bit limbs."""
    out = ["/// The 14 limbs of 29 bits of a 384-bit big-endian number.",
           "#[inline(never)]",
           f"pub(super) fn limbs_from_be_bytes(bytes: &[u8; 48]) -> [u32; {N}] {{",
           "    let word = |be: &[u8]| {",
           "        let mut word = [0u8; 8];",
           "        word.copy_from_slice(be);",
           "        u64::from_be_bytes(word)",
           "    };"]
    for j in range(6):
        out.append(f"    let w{j} = word(&bytes[{40 - 8 * j}..{48 - 8 * j}]);")
    limbs_expr = []
    for i in range(N):
        start = W * i
        a, shift = divmod(start, 64)
        if a >= 6:
            limbs_expr.append("0")
            continue
        expr = f"(w{a} >> {shift})" if shift else f"w{a}"
        if shift + W > 64 and a + 1 < 6:
            expr = f"({expr} | (w{a + 1} << {64 - shift}))"
        limbs_expr.append(f"({expr} & MASK) as u32")
    out.append("    [" + ", ".join(limbs_expr) + "]")
    out.append("}")
    return "\n".join(out) + "\n"


def generate():
    header = (
        "// @generated by contracts/proofs/gen/gen_fp.py: do not edit by hand.\n"
        "//! Montgomery multiplication and squaring of the BLS12-381 base field, fully unrolled:\n"
        f"//! {N} limbs of {W} bits, R = 2^{N * W}, product scanning with one u64 accumulator.\n"
        "//! Inputs: normalised limbs (below 2^29) of values below 2^406 / p · p; output below 2p.\n\n"
        "#![allow(clippy::cast_possible_truncation, clippy::too_many_lines)]\n\n"
        "use super::fp::Fp;\n\n"
    )
    consts = []
    consts.append(f"/// Limbs per element.\npub(super) const LIMBS: usize = {N};\n")
    consts.append(f"/// Bits per limb.\nconst W: u32 = {W};\n")
    consts.append(f"/// Mask of a limb.\nconst MASK: u64 = {MASK};\n")
    consts.append(f"/// Mask of a limb, 32-bit.\nconst MASK32: u32 = {MASK};\n")
    consts.append(f"/// -p^-1 mod 2^{W}.\nconst N0: u64 = {N0};\n")
    for i, l in enumerate(limbs(P)):
        consts.append(f"const P{i}: u64 = {l};")
    consts.append("")
    consts.append(const_limbs("MODULUS", P, "The modulus p."))
    consts.append(const_limbs("TWO_MODULUS", 2 * P, "2p: values are kept below it."))
    R = 1 << (N * W)
    consts.append(const_limbs("R_MOD_P", R % P, "R mod p: one in Montgomery form."))
    consts.append(const_limbs("R2_MOD_P", R * R % P, "R² mod p: converts into Montgomery form."))
    mul = (
        "/// `a · b · R⁻¹ mod p`, below 2p.\n"
        "#[inline(never)]\n"
        "pub(super) fn mont_mul(a: &Fp, b: &Fp) -> Fp {\n" + mul_body(False) + "\n}\n"
    )
    sqr = (
        "/// `a² · R⁻¹ mod p`, below 2p.\n"
        "#[inline(never)]\n"
        "pub(super) fn mont_square(a: &Fp) -> Fp {\n" + mul_body(True) + "\n}\n"
    )
    return header + "\n".join(consts) + "\n" + mul + "\n" + sqr + "\n" + add_sub_code() + "\n" + unpack_code()




# ---------------------------------------------------------------------------------------------
# Tower and curve constants, computed here from their definitions (not copied from anywhere):
# Fp2 = Fp[u]/(u² + 1), Fp6 = Fp2[v]/(v³ − ξ) with ξ = 1 + u, Fp12 = Fp6[w]/(w² − v).

R_MONT = 1 << (N * W)
X_ABS = 0xD201000000010000          # BLS12-381 is generated by x = −0xd201000000010000
R_ORDER = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001


def f2_mul(a, b):
    return ((a[0] * b[0] - a[1] * b[1]) % P, (a[0] * b[1] + a[1] * b[0]) % P)


def f2_pow(a, e):
    result = (1, 0)
    while e:
        if e & 1:
            result = f2_mul(result, a)
        a = f2_mul(a, a)
        e >>= 1
    return result


def f2_inv(a):
    norm_inv = pow(a[0] * a[0] + a[1] * a[1], P - 2, P)
    return (a[0] * norm_inv % P, -a[1] * norm_inv % P)


XI = (1, 1)


def mont(x):
    return "Fp::from_montgomery_limbs([" + ", ".join(str(l) for l in limbs(x * R_MONT % P)) + "])"


def fp2_const(a):
    return f"Fp2 {{ c0: {mont(a[0])}, c1: {mont(a[1])} }}"


# Affine curve arithmetic (for deriving the endomorphism constants and checking them).
def ec_add(P1, P2, field):
    mul, inv, add, sub = field
    if P1 is None:
        return P2
    if P2 is None:
        return P1
    if P1[0] == P2[0]:
        if P1[1] != P2[1]:
            return None
        square = mul(P1[0], P1[0])
        lam = mul(add(add(square, square), square), inv(add(P1[1], P1[1])))
    else:
        lam = mul(sub(P2[1], P1[1]), inv(sub(P2[0], P1[0])))
    x3 = sub(sub(mul(lam, lam), P1[0]), P2[0])
    return (x3, sub(mul(lam, sub(P1[0], x3)), P1[1]))


def ec_mul(point, k, field):
    result = None
    while k:
        if k & 1:
            result = ec_add(result, point, field)
        point = ec_add(point, point, field)
        k >>= 1
    return result


FP_OPS = (lambda a, b: a * b % P, lambda a: pow(a, P - 2, P), lambda a, b: (a + b) % P, lambda a, b: (a - b) % P)
FP2_OPS = (f2_mul, f2_inv, lambda a, b: ((a[0] + b[0]) % P, (a[1] + b[1]) % P),
           lambda a, b: ((a[0] - b[0]) % P, (a[1] - b[1]) % P))

G1_GEN = (
    0x17F1D3A73197D7942695638C4FA9AC0FC3688C4F9774B905A14E3A3F171BAC586C55E83FF97A1AEFFB3AF00ADB22C6BB,
    0x08B3F481E3AAA0F1A09E30ED741D8AE4FCF5E095D5D00AF600DB18CB2C04B3EDD03CC744A2888AE40CAA232946C5E7E1,
)
G2_GEN = (
    (0x024AA2B2F08F0A91260805272DC51051C6E47AD4FA403B02B4510B647AE3D1770BAC0326A805BBEFD48056C8C121BDB8,
     0x13E02B6052719F607DACD3A088274F65596BD0D09920B61AB5DA61BBDC7F5049334CF11213945D57E5AC7D055D042B7E),
    (0x0CE5D527727D6E118CC9CDC6DA2E351AADFD9BAA8CBDD3A76D429A695160D12C923AC9CC3BACA289E193548608B82801,
     0x0606C4A02EA734CC32ACD2B02BC28B99CB3E287E85A763AF267492AB572E99AB3F370D275CEC1DA1AAA9075FF05F79BE),
)


def tower_constants():
    assert (G1_GEN[1] ** 2 - G1_GEN[0] ** 3 - 4) % P == 0
    b2 = (4, 4)
    y2 = f2_mul(G2_GEN[1], G2_GEN[1])
    x3 = f2_mul(G2_GEN[0], f2_mul(G2_GEN[0], G2_GEN[0]))
    assert ((y2[0] - x3[0] - b2[0]) % P, (y2[1] - x3[1] - b2[1]) % P) == (0, 0)
    out = []
    for k in (1, 2, 3):
        out.append((f"FP6_FROBENIUS_C1_{k}", f2_pow(XI, (P**k - 1) // 3)))
        out.append((f"FP6_FROBENIUS_C2_{k}", f2_pow(XI, 2 * (P**k - 1) // 3)))
        out.append((f"FP12_FROBENIUS_C1_{k}", f2_pow(XI, (P**k - 1) // 6)))
    # G2 endomorphism ψ = twist⁻¹ ∘ Frobenius ∘ twist: ψ(x, y) = (x̄·c_x, ȳ·c_y).
    psi_x = f2_inv(f2_pow(XI, (P - 1) // 3))
    psi_y = f2_inv(f2_pow(XI, (P - 1) // 2))
    out.append(("PSI_X", psi_x))
    out.append(("PSI_Y", psi_y))
    # Check ψ(Q) = [x]Q on the generator (x negative).
    conj = lambda a: (a[0], (-a[1]) % P)
    psi_gen = (f2_mul(conj(G2_GEN[0]), psi_x), f2_mul(conj(G2_GEN[1]), psi_y))
    x_gen = ec_mul(G2_GEN, X_ABS, FP2_OPS)
    assert psi_gen == (x_gen[0], (-x_gen[1][0] % P, -x_gen[1][1] % P)), "psi(Q) = [x]Q"
    # G1 endomorphism φ(x, y) = (βx, y) = [−x²]P for the cube root of unity β chosen here.
    lam = (-(X_ABS * X_ABS)) % R_ORDER
    target = ec_mul(G1_GEN, lam, FP_OPS)
    beta = None
    for candidate in (pow(2, (P - 1) // 3, P), pow(2, 2 * (P - 1) // 3, P), pow(3, (P - 1) // 3, P), pow(3, 2 * (P - 1) // 3, P)):
        if candidate != 1 and candidate * G1_GEN[0] % P == target[0] and target[1] == G1_GEN[1]:
            beta = candidate
    assert beta is not None
    return out, beta


def generate_constants():
    fp2_consts, beta = tower_constants()
    lines = [
        "// @generated by contracts/proofs/gen/gen_fp.py: do not edit by hand.",
        "//! Constants of the BLS12-381 tower and curves, in Montgomery form.",
        "",
        "use super::fp::Fp;",
        "use super::fp2::Fp2;",
        "",
    ]
    for name, value in fp2_consts:
        lines.append(f"pub(super) const {name}: Fp2 = {fp2_const(value)};")
    lines.append(f"/// A primitive cube root of unity: φ(x, y) = (βx, y) = [−x²](x, y) on G1.")
    lines.append(f"pub(super) const BETA: Fp = {mont(beta)};")
    lines.append(f"/// The coefficient b = 4 of G1: y² = x³ + 4.")
    lines.append(f"pub(super) const G1_B: Fp = {mont(4)};")
    lines.append(f"/// The coefficient b' = 4(1 + u) of G2: y² = x³ + 4(1 + u).")
    lines.append(f"pub(super) const G2_B: Fp2 = {fp2_const((4, 4))};")
    lines.append(f"/// 1/2.")
    lines.append(f"pub(super) const TWO_INV: Fp = {mont(pow(2, P - 2, P))};")
    lines.append(f"/// |x| where x = −0xd201000000010000 generates the curve family.")
    lines.append(f"pub(super) const X_ABS: u64 = {hex(X_ABS)};")
    lines.append(f"/// The generator of G1 (affine x, y), for tests.")
    lines.append(f"#[cfg(test)]\npub(super) const G1_GENERATOR: (Fp, Fp) = ({mont(G1_GEN[0])}, {mont(G1_GEN[1])});")
    lines.append(f"/// The generator of G2 (affine x, y), for tests.")
    lines.append(f"#[cfg(test)]\npub(super) const G2_GENERATOR: (Fp2, Fp2) = ({fp2_const(G2_GEN[0])}, {fp2_const(G2_GEN[1])});")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    out_dir = pathlib.Path(__file__).resolve().parent.parent / "src" / "bls12_381"
    out_dir.mkdir(parents=True, exist_ok=True)
    import sys
    check = "--check" in sys.argv
    for name, text in (("fp_generated.rs", generate()), ("constants_generated.rs", generate_constants())):
        path = out_dir / name
        if check:
            if path.read_text() != text:
                sys.exit(f"{path} is stale: run {__file__}")
        else:
            path.write_text(text)
            print(f"wrote {path}")
