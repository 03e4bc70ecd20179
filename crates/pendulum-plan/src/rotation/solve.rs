//! Placeholder, replaced below.
#[derive(Debug, Clone, Default)]
pub struct SolveOptions;
#[derive(Debug, Clone)]
pub struct Solution;
pub fn solve(_r: &super::Rotation, _o: &SolveOptions) -> Solution { Solution }
