//! A person's pendulum over time, as data and as an SVG picture.
