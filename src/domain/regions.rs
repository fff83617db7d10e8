//! The AWS regions ddsp knows: the ones the sandbox answers for (each kept
//! apart as a real endpoint is per region) and the only ones the editor's
//! `:region` switches to. A request's region is its SigV4 credential scope's (with
//! `--no-auth`, the sandbox's `--region`); a name outside this list is refused,
//! as AWS refuses a scope that names no region. The list is the regions of the
//! `aws`, `aws-cn` and `aws-us-gov` partitions in botocore's endpoint data
//! (2026); whether Device Defender itself runs in each one is not modelled.

/// Every region name the sandbox accepts.
pub const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-east-1",
    "us-gov-west-1",
];

/// True for a region the sandbox serves.
pub fn is_known(region: &str) -> bool {
    REGIONS.contains(&region)
}

/// The partition a region belongs to, for its ARNs.
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_partitions() {
        assert!(is_known("us-east-1") && is_known("eu-west-1") && is_known("cn-north-1"));
        assert!(!is_known("xx-nowhere-9") && !is_known("") && !is_known("US-EAST-1"));
        assert_eq!(partition("cn-northwest-1"), "aws-cn");
        assert_eq!(partition("us-gov-west-1"), "aws-us-gov");
        assert_eq!(partition("eu-west-1"), "aws");
    }
}
