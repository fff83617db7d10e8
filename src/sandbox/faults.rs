//! Fault injection for resilience tests: `--faults throttle=0.1,internal=0.05,latency=50ms`
//! answers a share of requests with ThrottlingException (400) or
//! InternalFailureException (500), and delays every answer;
//! `throttle-next=N` throttles exactly the next N requests, for tests that must
//! not depend on chance; `new-customer` answers every Detect operation as AWS
//! answers an account that came after Detect closed to new customers.

use std::time::Duration;

/// Rates in [0, 1] and a fixed delay.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Faults {
    pub throttle: f64,
    pub internal: f64,
    pub latency: Duration,
    /// How many of the next requests are throttled, whatever the rates say.
    pub throttle_next: u32,
    /// Detect's operations answer UnauthorizedException, as for an account
    /// created after Detect closed to new customers (2026-08-31).
    pub new_customer: bool,
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    Throttle,
    Internal,
}

impl Faults {
    /// Parses `throttle=0.1,internal=0.05,latency=50ms` (any subset; empty means none).
    pub fn parse(text: &str) -> Result<Faults, String> {
        let mut faults = Faults::default();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if item == "new-customer" {
                faults.new_customer = true;
                continue;
            }
            let (key, value) = item.split_once('=').ok_or_else(|| format!("{item:?}: expected key=value"))?;
            match key {
                "throttle" | "internal" => {
                    let rate: f64 = value.parse().map_err(|_| format!("{key}: {value:?} is not a number"))?;
                    if !(0.0..=1.0).contains(&rate) {
                        return Err(format!("{key}: {rate} is not a rate between 0 and 1"));
                    }
                    if key == "throttle" {
                        faults.throttle = rate;
                    } else {
                        faults.internal = rate;
                    }
                }
                "throttle-next" => {
                    faults.throttle_next =
                        value.parse().map_err(|_| format!("throttle-next: {value:?} is not a whole number"))?
                }
                "latency" => {
                    faults.latency = parse_duration(value)
                        .ok_or_else(|| format!("latency: {value:?} is not a duration like 50ms or 1s"))?
                }
                other => {
                    return Err(format!(
                        "{other:?} is not a fault; use throttle, internal, throttle-next, latency or new-customer"
                    ));
                }
            }
        }
        if faults.throttle + faults.internal > 1.0 {
            return Err("throttle and internal rates add up to more than 1".to_owned());
        }
        Ok(faults)
    }

    /// Picks the fault for a request from a uniform draw in [0, 1).
    pub fn pick(&self, draw: f64) -> Fault {
        if draw < self.throttle {
            Fault::Throttle
        } else if draw < self.throttle + self.internal {
            Fault::Internal
        } else {
            Fault::None
        }
    }
}

fn parse_duration(text: &str) -> Option<Duration> {
    if let Some(ms) = text.strip_suffix("ms") {
        return ms.parse().ok().map(Duration::from_millis);
    }
    text.strip_suffix('s')
        .unwrap_or(text)
        .parse::<f64>()
        .ok()
        .filter(|s| *s >= 0.0 && s.is_finite())
        .map(Duration::from_secs_f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_picks() {
        let f = Faults::parse("throttle=0.1,internal=0.05,latency=50ms").unwrap();
        assert_eq!(f.latency, Duration::from_millis(50));
        assert_eq!(f.pick(0.05), Fault::Throttle);
        assert_eq!(f.pick(0.12), Fault::Internal);
        assert_eq!(f.pick(0.2), Fault::None);
        assert_eq!(Faults::parse("").unwrap(), Faults::default());
        assert_eq!(Faults::parse("latency=1.5s").unwrap().latency, Duration::from_millis(1500));
        assert!(Faults::parse("new-customer,latency=1ms").unwrap().new_customer);
        assert!(Faults::parse("throttle=2").is_err());
        assert_eq!(Faults::parse("throttle-next=3").unwrap().throttle_next, 3);
        assert!(Faults::parse("throttle-next=-1").is_err());
        assert!(Faults::parse("boom=1").is_err());
        assert!(Faults::parse("throttle=0.6,internal=0.6").is_err());
    }
}
