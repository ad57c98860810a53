//! Sprig's decimal float math: `add1f addf subf mulf divf`.
//!
//! Sprig converts each argument with cast's `ToFloat64`, turns it into an exact decimal with
//! shopspring/decimal 1.4.0's `NewFromFloat` (the shortest digits that read back as the same
//! float), folds the operation over the arguments in decimal, and converts back to the nearest
//! float64. So `addf 0.1 0.2` is `0.3`, not `0.30000000000000004`. Mirrors
//! `runtime/template/v2/sprig/numeric.go` (`execDecimalOp`) and the decimal library's `Add`,
//! `Sub`, `Mul`, `Div` (`DivRound` to 16 places, half away from zero) and `Float64`.
//!
//! Must not: panic (the library's panics become `Err` with its text), or grow without bound
//! (results are capped at [`MAX_DIGITS`]).

use std::cmp::Ordering;

use super::sprig::cast_float;
use super::{FuncDef, Imp, Ty};
use crate::template::value::Value;

/// Largest decimal mantissa, in base-1e9 limbs, an operation may build.
const MAX_LIMBS: usize = 1 << 16;
/// [`MAX_LIMBS`] in decimal digits, for the error text.
const MAX_DIGITS: usize = MAX_LIMBS * 9;

const A: Ty = Ty::Any;

macro_rules! f {
    ($name:literal, [$($p:expr),*], $v:expr, $imp:expr) => {
        FuncDef { name: $name, params: &[$($p),*], variadic: $v, imp: Imp::Plain($imp) }
    };
}

pub static TABLE: &[FuncDef] = &[
    f!("add1f", [A], None, add1f),
    f!("addf", [], Some(A), addf),
    f!("subf", [A], Some(A), subf),
    f!("mulf", [A], Some(A), mulf),
    f!("divf", [A], Some(A), divf),
];

const BASE: u64 = 1_000_000_000;

/// A natural number in base 1e9, least significant limb first, without leading zero limbs.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Nat(Vec<u32>);

impl Nat {
    fn zero() -> Nat {
        Nat(Vec::new())
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn normalized(mut v: Vec<u32>) -> Nat {
        while v.last() == Some(&0) {
            v.pop();
        }
        Nat(v)
    }

    fn from_digits(digits: &[u8]) -> Nat {
        let mut limbs = Vec::with_capacity(digits.len() / 9 + 1);
        for chunk in digits.rchunks(9) {
            let v = chunk
                .iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
            limbs.push(v);
        }
        Nat::normalized(limbs)
    }

    fn to_digits(&self) -> String {
        let Some((top, rest)) = self.0.split_last() else {
            return "0".into();
        };
        let mut s = top.to_string();
        for limb in rest.iter().rev() {
            s.push_str(&format!("{limb:09}"));
        }
        s
    }

    fn cmp(&self, other: &Nat) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    fn check(v: Vec<u32>) -> Result<Nat, String> {
        if v.len() > MAX_LIMBS {
            return Err(format!(
                "decimal result exceeds eso-render's limit of {MAX_DIGITS} digits"
            ));
        }
        Ok(Nat::normalized(v))
    }

    fn add(&self, other: &Nat) -> Result<Nat, String> {
        let n = self.0.len().max(other.0.len());
        let mut out = Vec::with_capacity(n + 1);
        let mut carry = 0u64;
        for i in 0..n {
            let s = u64::from(*self.0.get(i).unwrap_or(&0))
                + u64::from(*other.0.get(i).unwrap_or(&0))
                + carry;
            out.push((s % BASE) as u32);
            carry = s / BASE;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        Nat::check(out)
    }

    /// `self - other`, for `self >= other`.
    fn sub(&self, other: &Nat) -> Nat {
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let mut d = i64::from(self.0[i]) - i64::from(*other.0.get(i).unwrap_or(&0)) - borrow;
            borrow = 0;
            if d < 0 {
                d += BASE as i64;
                borrow = 1;
            }
            out.push(d as u32);
        }
        Nat::normalized(out)
    }

    fn mul(&self, other: &Nat) -> Result<Nat, String> {
        if self.is_zero() || other.is_zero() {
            return Ok(Nat::zero());
        }
        if self.0.len() + other.0.len() > MAX_LIMBS + 1 {
            return Nat::check(vec![1; MAX_LIMBS + 1]);
        }
        let mut acc = vec![0u64; self.0.len() + other.0.len() + 1];
        for (i, a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, b) in other.0.iter().enumerate() {
                let t = acc[i + j] + u64::from(*a) * u64::from(*b) + carry;
                acc[i + j] = t % BASE;
                carry = t / BASE;
            }
            let mut k = i + other.0.len();
            while carry > 0 {
                let t = acc[k] + carry;
                acc[k] = t % BASE;
                carry = t / BASE;
                k += 1;
            }
        }
        Nat::check(acc.into_iter().map(|v| v as u32).collect())
    }

    fn mul_small(&self, m: u32) -> Nat {
        let mut out = Vec::with_capacity(self.0.len() + 1);
        let mut carry = 0u64;
        for limb in &self.0 {
            let t = u64::from(*limb) * u64::from(m) + carry;
            out.push((t % BASE) as u32);
            carry = t / BASE;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        Nat::normalized(out)
    }

    /// `self * 10^k`.
    fn shift(&self, k: u64) -> Result<Nat, String> {
        if self.is_zero() {
            return Ok(Nat::zero());
        }
        let limbs = usize::try_from(k / 9).unwrap_or(usize::MAX);
        if limbs.saturating_add(self.0.len()) > MAX_LIMBS {
            return Nat::check(vec![1; MAX_LIMBS + 1]);
        }
        let mut v = vec![0u32; limbs];
        v.extend_from_slice(&self.0);
        Ok(Nat(v).mul_small(10u32.pow((k % 9) as u32)))
    }

    /// Truncated quotient and remainder, decimal digit by digit.
    fn div_rem(&self, d: &Nat) -> (Nat, Nat) {
        let mut q = Vec::new();
        let mut r = Nat::zero();
        for digit in self.to_digits().bytes() {
            r = r.mul_small(10);
            if digit != b'0' {
                // A remainder below `d` times 10 plus a digit cannot overflow the limb vector.
                r = r.add(&Nat(vec![u32::from(digit - b'0')])).unwrap_or(r);
            }
            let mut n = b'0';
            while r.cmp(d) != Ordering::Less {
                r = r.sub(d);
                n += 1;
            }
            q.push(n);
        }
        (Nat::from_digits(&q), r)
    }
}

/// shopspring's `Decimal`: a signed mantissa times a power of ten.
#[derive(Clone, Debug)]
struct Dec {
    neg: bool,
    mag: Nat,
    exp: i64,
}

impl Dec {
    fn new(neg: bool, mag: Nat, exp: i64) -> Dec {
        let neg = neg && !mag.is_zero();
        Dec { neg, mag, exp }
    }

    /// `NewFromFloat`: the shortest decimal that reads back as `f`.
    fn from_f64(f: f64) -> Result<Dec, String> {
        if f.is_nan() {
            return Err("Cannot create a Decimal from NaN".into());
        }
        if f.is_infinite() {
            let sign = if f > 0.0 { "+" } else { "-" };
            return Err(format!("Cannot create a Decimal from {sign}Inf"));
        }
        if f == 0.0 {
            return Ok(Dec::new(false, Nat::zero(), 0));
        }
        // Rust's `{:e}` prints the shortest round-trip digits, like Go's `roundShortest`.
        let text = format!("{:e}", f.abs());
        let (mant, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
        let exp = exp - (digits.len() as i64 - 1);
        Ok(Dec::new(f < 0.0, Nat::from_digits(&digits), exp))
    }

    /// `Float64`: the nearest float64 (Rust's parser rounds correctly, as `big.Rat` does).
    fn to_f64(&self) -> f64 {
        if self.mag.is_zero() {
            return 0.0;
        }
        let text = format!("{}e{}", self.mag.to_digits(), self.exp);
        let v: f64 = text.parse().unwrap_or(0.0);
        if self.neg { -v } else { v }
    }

    /// `RescalePair`: both mantissas at the smaller exponent.
    fn rescale_pair(a: &Dec, b: &Dec) -> Result<(Nat, Nat, i64), String> {
        let exp = a.exp.min(b.exp);
        let up = |d: &Dec| d.mag.shift(d.exp.abs_diff(exp));
        Ok((up(a)?, up(b)?, exp))
    }

    fn add(&self, other: &Dec) -> Result<Dec, String> {
        let (a, b, exp) = Dec::rescale_pair(self, other)?;
        if self.neg == other.neg {
            return Ok(Dec::new(self.neg, a.add(&b)?, exp));
        }
        Ok(match a.cmp(&b) {
            Ordering::Less => Dec::new(other.neg, b.sub(&a), exp),
            _ => Dec::new(self.neg, a.sub(&b), exp),
        })
    }

    fn negated(&self) -> Dec {
        Dec::new(!self.neg, self.mag.clone(), self.exp)
    }

    fn sub(&self, other: &Dec) -> Result<Dec, String> {
        self.add(&other.negated())
    }

    fn mul(&self, other: &Dec) -> Result<Dec, String> {
        let exp = self.exp + other.exp;
        if exp > i64::from(i32::MAX) || exp < i64::from(i32::MIN) {
            return Err(format!("exponent {exp} overflows an int32!"));
        }
        Ok(Dec::new(
            self.neg != other.neg,
            self.mag.mul(&other.mag)?,
            exp,
        ))
    }

    fn cmp_abs(a: &Dec, b: &Dec) -> Result<Ordering, String> {
        let (x, y, _) = Dec::rescale_pair(a, b)?;
        Ok(x.cmp(&y))
    }

    /// `Div`: `DivRound` to 16 decimal places, half away from zero.
    fn div(&self, other: &Dec) -> Result<Dec, String> {
        const PRECISION: i64 = 16;
        if other.mag.is_zero() {
            return Err("decimal division by 0".into());
        }
        // QuoRem
        let e = self.exp - other.exp + PRECISION;
        if e > i64::from(i32::MAX) || e < i64::from(i32::MIN) {
            return Err("overflow in decimal QuoRem".into());
        }
        let (aa, bb, rest_exp) = if e < 0 {
            (
                self.mag.clone(),
                other.mag.shift(e.unsigned_abs())?,
                self.exp,
            )
        } else {
            (
                self.mag.shift(e.unsigned_abs())?,
                other.mag.clone(),
                other.exp - PRECISION,
            )
        };
        let (q, r) = aa.div_rem(&bb);
        let sign_neg = self.neg != other.neg;
        let q = Dec::new(sign_neg, q, -PRECISION);
        // Twice the remainder, scaled, against the divisor.
        let r2 = Dec::new(false, r.mul_small(2), rest_exp + PRECISION);
        let divisor = Dec::new(false, other.mag.clone(), other.exp);
        if Dec::cmp_abs(&r2, &divisor)? == Ordering::Less {
            return Ok(q);
        }
        let ulp = Dec::new(false, Nat(vec![1]), -PRECISION);
        if sign_neg && !self.mag.is_zero() {
            q.sub(&ulp)
        } else {
            q.add(&ulp)
        }
    }
}

type Op = fn(&Dec, &Dec) -> Result<Dec, String>;

/// Sprig's `execDecimalOp`.
fn fold(first: f64, rest: &[Value], op: Op) -> Result<Value, String> {
    let mut acc = Dec::from_f64(first)?;
    for v in rest {
        acc = op(&acc, &Dec::from_f64(cast_float(v))?)?;
    }
    Ok(Value::Float(acc.to_f64()))
}

fn first(args: &[Value]) -> f64 {
    args.first().map_or(0.0, cast_float)
}

fn add1f(args: &[Value]) -> Result<Value, String> {
    fold(first(args), &[Value::Int(1)], Dec::add)
}

fn addf(args: &[Value]) -> Result<Value, String> {
    fold(0.0, args, Dec::add)
}

fn subf(args: &[Value]) -> Result<Value, String> {
    fold(first(args), args.get(1..).unwrap_or(&[]), Dec::sub)
}

fn mulf(args: &[Value]) -> Result<Value, String> {
    fold(first(args), args.get(1..).unwrap_or(&[]), Dec::mul)
}

fn divf(args: &[Value]) -> Result<Value, String> {
    fold(first(args), args.get(1..).unwrap_or(&[]), Dec::div)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_go() {
        crate::template::funcs::assert_matches_go(GO_CASES);
    }

    #[test]
    fn decimal_basics() {
        let d = |f: f64| Dec::from_f64(f).unwrap();
        assert_eq!(d(0.1).add(&d(0.2)).unwrap().to_f64(), 0.3);
        assert_eq!(d(1.0).div(&d(3.0)).unwrap().to_f64(), 0.3333333333333333);
        assert_eq!(d(2.0).div(&d(3.0)).unwrap().to_f64(), 0.6666666666666667);
        assert_eq!(d(-2.0).div(&d(3.0)).unwrap().to_f64(), -0.6666666666666667);
        assert!(d(1.0).div(&d(0.0)).is_err());
        assert!(Dec::from_f64(f64::NAN).is_err());
        let big = Nat::from_digits(b"123456789012345678901234567890");
        assert_eq!(big.to_digits(), "123456789012345678901234567890");
        let (q, r) = big.div_rem(&Nat::from_digits(b"1000000007"));
        assert_eq!(q.to_digits(), "123456788148148161864");
        assert_eq!(r.to_digits(), "197434842");
        assert!(Nat::from_digits(b"1").shift(u64::MAX).is_err());
    }

    /// (template, output) pairs; outputs produced by Go 1.19 with ESO's vendored Sprig and
    /// shopspring/decimal 1.4.0.
    const GO_CASES: &[(&str, &str)] = &[
        (r"{{ addf }}", r"0"),
        (
            r"{{ divf 1 0 }}",
            r#"ERR: template: t:1:3: executing "t" at <divf 1 0>: error calling divf: decimal division by 0"#,
        ),
        (
            r"{{ divf 0 0 }}",
            r#"ERR: template: t:1:3: executing "t" at <divf 0 0>: error calling divf: decimal division by 0"#,
        ),
        (
            r#"{{ divf 1 3 | printf "%.20f" }}"#,
            r"0.33333333333333331483",
        ),
        (
            r#"{{ divf 2 3 | printf "%.20f" }}"#,
            r"0.66666666666666674068",
        ),
        (
            r#"{{ divf -2 3 | printf "%.20f" }}"#,
            r"-0.66666666666666674068",
        ),
        (
            r#"{{ divf 1 6 | printf "%.20f" }}"#,
            r"0.16666666666666671293",
        ),
        (r"{{ divf 1e-20 3 }}", r"0"),
        (r"{{ divf 5e-17 1 }}", r"1e-16"),
        (
            r#"{{ divf 1 7 | printf "%.20f" }}"#,
            r"0.14285714285714290472",
        ),
        (
            r#"{{ divf -1 -6 | printf "%.20f" }}"#,
            r"0.16666666666666671293",
        ),
        (
            r#"{{ divf 1 -6 | printf "%.20f" }}"#,
            r"-0.16666666666666671293",
        ),
        (r"{{ mulf 1e200 1e200 }}", r"+Inf"),
        (r"{{ subf 0 0 }}", r"0"),
        (r"{{ mulf -1 0 }}", r"0"),
        (r"{{ divf 0 -5 }}", r"0"),
        (r"{{ addf 1 2 | typeOf }}", r"float64"),
        (r"{{ divf 0.000000000000000049 1 }}", r"0"),
        (r"{{ divf 1 20000000000000000 }}", r"1e-16"),
        (r"{{ divf 1 30000000000000000 }}", r"0"),
        (r"{{ divf 0 0.2 }}", r"0"),
        (r"{{ divf 123456789.123456789 1e300 }}", r"0"),
        (r"{{ divf 0 0.3 }}", r"0"),
        (
            r"{{ divf (int64 9007199254740993) 2 }}",
            r"4.503599627370496e+15",
        ),
        (
            r"{{ subf 1e-300 (int64 9007199254740993) }}",
            r"-9.007199254740992e+15",
        ),
        (r"{{ subf 1e300 nil }}", r"1e+300"),
        (r"{{ divf 10 1e16 }}", r"1e-15"),
        (r"{{ divf 5e-324 5e-324 }}", r"1"),
        (r"{{ subf 1e300 0.3 }}", r"1e+300"),
        (r"{{ addf true true }}", r"2"),
        (r"{{ divf -2.5 5e-324 }}", r"-Inf"),
        (r"{{ mulf 1.5 1e-7 }}", r"1.5e-07"),
        (r"{{ subf 0.2 1e16 }}", r"-1e+16"),
        (r#"{{ addf nil "3.7" }}"#, r"3.7"),
        (r"{{ divf 33.33 7 }}", r"4.761428571428572"),
        (r"{{ addf -2.5 2 }}", r"-0.5"),
        (r"{{ mulf 1e-16 0.000001 }}", r"1e-22"),
        (r"{{ divf 0 33.33 }}", r"0"),
        (r"{{ subf 3 7 }}", r"-4"),
        (r"{{ addf 1 3 }}", r"4"),
        (r"{{ divf 1e-16 1.7976931348623157e308 }}", r"0"),
        (r"{{ addf 1e21 33.33 }}", r"1e+21"),
        (r"{{ addf 0.000001 2.5 }}", r"2.500001"),
        (r#"{{ addf 2.5 "3.7" }}"#, r"6.2"),
        (r"{{ subf 1e-300 5e-324 }}", r"1e-300"),
        (r"{{ subf 2 1e16 }}", r"-9.999999999999998e+15"),
        (r"{{ addf 1e-7 1e300 }}", r"1e+300"),
        (
            r"{{ divf 123456789.123456789 0 }}",
            r#"ERR: template: t:1:3: executing "t" at <divf 123456789.123456789 0>: error calling divf: decimal division by 0"#,
        ),
        (r"{{ mulf 123456789.123456789 -0.0 }}", r"0"),
        (r"{{ divf 1.5 -7 }}", r"-0.2142857142857143"),
        (r"{{ subf 0.000001 -7 }}", r"7.000001"),
        (r"{{ divf 0.3333333333333333 1.5 }}", r"0.2222222222222222"),
        (
            r"{{ subf (int64 9007199254740993) (int64 9007199254740993) }}",
            r"0",
        ),
        (r"{{ mulf 3 -2.5 }}", r"-7.5"),
        (r"{{ divf nil 0.3 }}", r"0"),
        (r"{{ addf 0.2 0.1 }}", r"0.3"),
        (r#"{{ addf "abc" 0.1 }}"#, r"0.1"),
        (r"{{ divf 1e300 3 }}", r"3.3333333333333335e+299"),
        (r"{{ mulf 0.2 true }}", r"0.2"),
        (r"{{ mulf 1 }}", r"1"),
        (r"{{ add1f 1e21 }}", r"1e+21"),
        (r#"{{ addf "abc" 0.2 }}"#, r"0.2"),
        (
            r"{{ subf 1e16 1.7976931348623157e308 }}",
            r"-1.7976931348623157e+308",
        ),
        (r"{{ mulf 0 -7 }}", r"0"),
        (r"{{ subf true 0 }}", r"1"),
        (r"{{ divf 2 100 }}", r"0.02"),
        (r"{{ mulf -1 1 }}", r"-1"),
        (r"{{ addf 1e-7 1e-16 }}", r"1.000000001e-07"),
        (r"{{ addf 5e-324 1e-7 }}", r"1e-07"),
        (r#"{{ addf 2 "3.7" }}"#, r"5.7"),
        (r"{{ mulf 33.33 -2.5 }}", r"-83.325"),
        (r"{{ addf 2 nil }}", r"2"),
        (r"{{ mulf -1 2.5 }}", r"-2.5"),
        (r"{{ mulf 100 -2.5 }}", r"-250"),
        (r"{{ addf 5e-324 7 }}", r"7"),
        (r"{{ addf -1 0.2 }}", r"-0.8"),
        (r"{{ addf 0.1 1.5 }}", r"1.6"),
        (r"{{ subf -0.0 1e21 }}", r"-1e+21"),
        (
            r"{{ subf 1.7976931348623157e308 1 }}",
            r"1.7976931348623157e+308",
        ),
        (r"{{ addf 1e-300 1e21 }}", r"1e+21"),
        (r"{{ divf 1e21 1e-7 }}", r"1e+28"),
        (r"{{ mulf 10 10 }}", r"100"),
        (r"{{ mulf -7 7 }}", r"-49"),
        (r"{{ divf 1 1e-300 }}", r"1e+300"),
        (
            r"{{ addf 1.7976931348623157e308 5e-324 }}",
            r"1.7976931348623157e+308",
        ),
        (r"{{ subf 1e21 5e-324 }}", r"1e+21"),
        (r"{{ subf 0.1 0.2 0.3 }}", r"-0.4"),
        (r"{{ mulf 1e21 1e300 }}", r"+Inf"),
        (r#"{{ addf "0x10" -0.0 }}"#, r"0"),
        (r"{{ mulf -2.5 7 }}", r"-17.5"),
        (r"{{ mulf 0.000001 100 }}", r"0.0001"),
        (r"{{ addf 1 100 }}", r"101"),
        (r"{{ divf 0.1 100 }}", r"0.001"),
        (r"{{ addf 1e16 1.5 }}", r"1.0000000000000002e+16"),
        (r"{{ addf 1e308 10 0.1 }}", r"1e+308"),
        (r"{{ subf 0.3333333333333333 1e16 }}", r"-1e+16"),
        (
            r#"{{ addf (int64 9007199254740993) "abc" }}"#,
            r"9.007199254740992e+15",
        ),
        (r"{{ addf 0.3 1e-7 }}", r"0.3000001"),
        (r"{{ addf 0.000001 0.3 }}", r"0.300001"),
        (
            r"{{ divf 123456789.123456789 0.2 }}",
            r"6.172839456172839e+08",
        ),
        (r#"{{ divf "3.7" true }}"#, r"3.7"),
        (r"{{ subf -2.5 1e16 }}", r"-1.0000000000000002e+16"),
        (r"{{ add1f 33.33 }}", r"34.33"),
        (
            r"{{ subf 1e-300 123456789.123456789 }}",
            r"-1.2345678912345679e+08",
        ),
        (
            r"{{ divf -2.5 -0.0 }}",
            r#"ERR: template: t:1:3: executing "t" at <divf -2.5 -0.0>: error calling divf: decimal division by 0"#,
        ),
        (r"{{ divf 10 -7 }}", r"-1.4285714285714286"),
        (
            r"{{ subf 123456789.123456789 true }}",
            r"1.2345678812345679e+08",
        ),
        (r"{{ addf 33.33 -7 }}", r"26.33"),
        (r"{{ divf 1 0.1 }}", r"10"),
        (
            r"{{ mulf 0.3333333333333333 1e21 }}",
            r"3.333333333333333e+20",
        ),
    ];
}
