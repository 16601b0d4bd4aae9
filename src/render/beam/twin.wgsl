// A twin (appended to beam.wgsl): two pieces that meet at a mitred joint, one quad; the
// fragment draws the light of the piece on its side of the joint. math.rs `TwinVertex`.

struct VsOut {
    @builtin(position) position: vec4<f32>,
    @location(0) local: vec2<f32>,
    @location(1) @interpolate(flat) steps: vec4<f32>,
    @location(2) second_local: vec2<f32>,
    @location(3) @interpolate(flat) second_steps: vec4<f32>,
    // How far past the joint: where positive, the second piece's light.
    @location(4) side: f32,
};

@vertex
fn vs_main(
    @location(0) clip: vec2<f32>,
    @location(1) local: vec2<f32>,
    @location(2) steps: vec4<f32>,
    @location(3) second_local: vec2<f32>,
    @location(4) second_steps: vec4<f32>,
    @location(5) side: f32,
) -> VsOut {
    var out: VsOut;
    out.position = vec4<f32>(clip, 0.0, 1.0);
    out.local = local;
    out.steps = steps;
    out.second_local = second_local;
    out.second_steps = second_steps;
    out.side = side;
    return out;
}

@fragment
fn fs_main(in: VsOut) -> @location(0) vec4<f32> {
    var local = in.local;
    var steps = in.steps;
    if (in.side > 0.0) {
        local = in.second_local;
        steps = in.second_steps;
    }
    return vec4<f32>(piece_light(local, steps), 0.0, 0.0, 0.0);
}
