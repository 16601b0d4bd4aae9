// The vertex stage of the passes that cover only the lit parts of the canvas (decay, composite),
// prepended to their fragment source by `gpu::lit_rects_module`: the rectangles' corners in clip
// space, two triangles per rectangle (see `tiles.rs` and `gpu::LitRects`).

@vertex
fn vs_main(@location(0) corner: vec2<f32>) -> @builtin(position) vec4<f32> {
    return vec4<f32>(corner, 0.0, 1.0);
}
