// A run (appended to beam.wgsl): up to four pieces joined by mitred joints, one quad; the
// fragment draws the light of the piece between the joints it lies between. geometry.rs `RunVertex`.

struct VsOut {
    @builtin(position) position: vec4<f32>,
    // Pieces 0 and 1's locals, then pieces 2 and 3's.
    @location(0) locals01: vec4<f32>,
    @location(1) locals23: vec4<f32>,
    // How far past each joint: past joint k, piece k + 1's light.
    @location(2) sides: vec3<f32>,
    @location(3) @interpolate(flat) steps0: vec4<f32>,
    @location(4) @interpolate(flat) steps1: vec4<f32>,
    @location(5) @interpolate(flat) steps2: vec4<f32>,
    @location(6) @interpolate(flat) steps3: vec4<f32>,
};

@vertex
fn vs_main(
    @location(0) clip: vec2<f32>,
    @location(1) locals01: vec4<f32>,
    @location(2) locals23: vec4<f32>,
    @location(3) sides: vec3<f32>,
    @location(4) steps0: vec4<f32>,
    @location(5) steps1: vec4<f32>,
    @location(6) steps2: vec4<f32>,
    @location(7) steps3: vec4<f32>,
) -> VsOut {
    var out: VsOut;
    out.position = vec4<f32>(clip, 0.0, 1.0);
    out.locals01 = locals01;
    out.locals23 = locals23;
    out.sides = sides;
    out.steps0 = steps0;
    out.steps1 = steps1;
    out.steps2 = steps2;
    out.steps3 = steps3;
    return out;
}

@fragment
fn fs_main(in: VsOut) -> @location(0) vec4<f32> {
    var local = in.locals01.xy;
    var steps = in.steps0;
    if (in.sides.x > 0.0) {
        local = in.locals01.zw;
        steps = in.steps1;
    }
    if (in.sides.y > 0.0) {
        local = in.locals23.xy;
        steps = in.steps2;
    }
    if (in.sides.z > 0.0) {
        local = in.locals23.zw;
        steps = in.steps3;
    }
    return vec4<f32>(piece_light(local, steps), 0.0, 0.0, 0.0);
}
