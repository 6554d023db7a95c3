//! Source readers: each turns an upstream file format into a stream of [`Entity`](super::Entity) records
//! (`Result<Entity>`, errors carrying the path and line).
