// Function-discovery corpus: Rust with trait objects, closures, generics and the standard library.
use std::collections::HashMap;

trait Shape {
    fn area(&self) -> f64;
    fn name(&self) -> &'static str;
}

struct Square(f64);
struct Circle(f64);

impl Shape for Square {
    fn area(&self) -> f64 { self.0 * self.0 }
    fn name(&self) -> &'static str { "square" }
}

impl Shape for Circle {
    fn area(&self) -> f64 { 3.14159265 * self.0 * self.0 }
    fn name(&self) -> &'static str { "circle" }
}

fn largest<T: PartialOrd + Copy>(values: &[T]) -> T {
    let mut best = values[0];
    for &v in values { if v > best { best = v; } }
    best
}

fn main() {
    let n = std::env::args().count() + 5;
    let mut shapes: Vec<Box<dyn Shape>> = (0..n).map(|i| if i % 2 == 1 { Box::new(Square(i as f64)) as Box<dyn Shape> } else { Box::new(Circle(i as f64)) }).collect();
    shapes.sort_by(|a, b| a.area().partial_cmp(&b.area()).unwrap());
    let mut totals: HashMap<&str, f64> = HashMap::new();
    for s in &shapes { *totals.entry(s.name()).or_insert(0.0) += s.area(); }
    let mut names: Vec<_> = totals.into_iter().collect();
    names.sort_by(|a, b| a.0.cmp(b.0));
    for (name, total) in names { println!("{name} {total}"); }
    println!("{}", largest(&[n, 4, 9, 1]));
}
