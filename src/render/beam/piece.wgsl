// A lone piece (appended to beam.wgsl): geometry.rs `BeamVertex`.

struct VsOut {
    @builtin(position) position: vec4<f32>,
    @location(0) local: vec2<f32>,
    @location(1) @interpolate(flat) steps: vec4<f32>,
};

@vertex
fn vs_main(@location(0) clip: vec2<f32>, @location(1) local: vec2<f32>, @location(2) steps: vec4<f32>) -> VsOut {
    var out: VsOut;
    out.position = vec4<f32>(clip, 0.0, 1.0);
    out.local = local;
    out.steps = steps;
    return out;
}

@fragment
fn fs_main(in: VsOut) -> @location(0) vec4<f32> {
    return vec4<f32>(piece_light(in.local, in.steps), 0.0, 0.0, 0.0);
}
