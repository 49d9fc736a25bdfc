// TEMPORARY STUB
pub enum SessionMode {
    NewSession,
    CurrentSession,
}
pub struct Sampler;
pub struct Sample;
impl Sampler {
    pub fn new(_r: i32, _m: SessionMode) -> Sampler {
        Sampler
    }
    pub fn sample(&mut self) -> Option<Sample> {
        None
    }
}
