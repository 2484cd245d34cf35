//! A minimal PNG encoder (8-bit RGB, zlib "stored" blocks) so the demo box carries real images without a dependency.

/// The PNG file signature.
pub const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

/// CRC-32 (ISO 3309, reflected, polynomial 0xEDB88320) as PNG chunks use it.
pub fn crc32(parts: &[&[u8]]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for part in parts {
        for &b in *part {
            crc ^= u32::from(b);
            for _ in 0..8 {
                let mask = (crc & 1).wrapping_neg();
                crc = (crc >> 1) ^ (0xedb8_8320 & mask);
            }
        }
    }
    !crc
}

/// Adler-32 as the zlib trailer uses it.
pub fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &d in data {
        a = (a + u32::from(d)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// A zlib stream of uncompressed ("stored") deflate blocks: no compressor needed and
/// every decoder accepts it.
pub fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut chunks = data.chunks(0xffff).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        out.push(u8::from(last));
        // chunks(0xffff) guarantees the length fits in 16 bits.
        let len = chunk.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    // PNG chunks are far below 2^31 bytes here (at most a few kB).
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&[kind, data]).to_be_bytes());
}

/// Encodes an 8-bit RGB image; `pixel(x, y)` gives each pixel's colour.
pub fn encode_rgb(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let mut raw = Vec::with_capacity((height * (1 + width * 3)) as usize);
    for y in 0..height {
        raw.push(0); // filter type None
        for x in 0..width {
            raw.extend_from_slice(&pixel(x, y));
        }
    }
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // depth 8, colour type RGB, deflate, adaptive filter, no interlace
    let mut out = SIGNATURE.to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A diagonal two-colour gradient; `seed` varies the colours so every photo differs.
pub fn gradient(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let from = [(seed & 0xff) as u8, ((seed >> 8) & 0xff) as u8, ((seed >> 16) & 0xff) as u8];
    let to = [((seed >> 24) & 0xff) as u8, ((seed >> 32) & 0xff) as u8, ((seed >> 40) & 0xff) as u8];
    let span = (width + height).saturating_sub(2).max(1);
    encode_rgb(width, height, |x, y| {
        let t = x + y;
        let mix = |a: u8, b: u8| ((u32::from(a) * (span - t) + u32::from(b) * t) / span) as u8;
        [mix(from[0], to[0]), mix(from[1], to[1]), mix(from[2], to[2])]
    })
}

#[cfg(test)]
pub(crate) mod check {
    //! A small PNG structure checker for the tests (no decoder is available here).

    use super::*;

    /// Parsed facts of a PNG: its dimensions and the inflated image data.
    pub struct Info {
        pub width: u32,
        pub height: u32,
        pub raw: Vec<u8>,
    }

    fn be32(b: &[u8]) -> u32 {
        u32::from_be_bytes([b[0], b[1], b[2], b[3]])
    }

    /// Checks signature, chunk order and CRCs, the stored zlib stream and its Adler-32.
    pub fn validate(png: &[u8]) -> Result<Info, String> {
        if !png.starts_with(&SIGNATURE) {
            return Err("bad signature".into());
        }
        let mut pos = 8;
        let mut kinds = Vec::new();
        let (mut width, mut height, mut idat) = (0, 0, Vec::new());
        while pos < png.len() {
            let len = be32(&png[pos..]) as usize;
            let kind = &png[pos + 4..pos + 8];
            let data = &png[pos + 8..pos + 8 + len];
            let crc = be32(&png[pos + 8 + len..]);
            if crc != crc32(&[kind, data]) {
                return Err(format!("bad CRC in {}", String::from_utf8_lossy(kind)));
            }
            match kind {
                b"IHDR" => {
                    width = be32(data);
                    height = be32(&data[4..]);
                    if data[8..] != [8, 2, 0, 0, 0] {
                        return Err("unexpected IHDR format".into());
                    }
                }
                b"IDAT" => idat.extend_from_slice(data),
                _ => {}
            }
            kinds.push(String::from_utf8_lossy(kind).to_string());
            pos += 12 + len;
        }
        if kinds.first().map(String::as_str) != Some("IHDR") || kinds.last().map(String::as_str) != Some("IEND") {
            return Err(format!("bad chunk order {kinds:?}"));
        }
        let raw = inflate_stored(&idat)?;
        if raw.len() != (height * (1 + width * 3)) as usize {
            return Err(format!("image data has {} bytes for {width}x{height}", raw.len()));
        }
        Ok(Info { width, height, raw })
    }

    fn inflate_stored(z: &[u8]) -> Result<Vec<u8>, String> {
        if z.len() < 6 || (u16::from(z[0]) << 8 | u16::from(z[1])) % 31 != 0 || z[0] & 0x0f != 8 {
            return Err("bad zlib header".into());
        }
        let mut pos = 2;
        let mut out = Vec::new();
        loop {
            let header = z[pos];
            if header & 0b110 != 0 {
                return Err("not a stored block".into());
            }
            let len = u16::from_le_bytes([z[pos + 1], z[pos + 2]]);
            let nlen = u16::from_le_bytes([z[pos + 3], z[pos + 4]]);
            if len != !nlen {
                return Err("LEN/NLEN mismatch".into());
            }
            out.extend_from_slice(&z[pos + 5..pos + 5 + usize::from(len)]);
            pos += 5 + usize::from(len);
            if header & 1 == 1 {
                break;
            }
        }
        if be32(&z[pos..]) != adler32(&out) || pos + 4 != z.len() {
            return Err("bad adler32 trailer".into());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_checksums() {
        // Reference values from zlib's crc32() and adler32().
        assert_eq!(crc32(&[b"123456789"]), 0xcbf4_3926);
        assert_eq!(crc32(&[b"IEND"]), 0xae42_6082);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }

    #[test]
    fn gradient_is_a_valid_png() {
        let png = gradient(32, 24, 0x1234_5678_9abc);
        let info = check::validate(&png).expect("valid png");
        assert_eq!((info.width, info.height), (32, 24));
        // Every row starts with filter byte 0; the first pixel is the "from" colour.
        assert!(info.raw.chunks(1 + 32 * 3).all(|row| row[0] == 0));
        assert_eq!(&info.raw[1..4], &[0xbc, 0x9a, 0x78]);
    }

    #[test]
    fn large_image_spans_several_stored_blocks() {
        let png = encode_rgb(200, 120, |x, y| [x as u8, y as u8, 7]);
        let info = check::validate(&png).expect("valid png");
        assert_eq!((info.width, info.height), (200, 120));
        assert!(info.raw.len() > 0xffff);
    }

    #[test]
    fn corrupted_crc_is_detected() {
        let mut png = gradient(8, 6, 1);
        let n = png.len();
        png[n - 20] ^= 0x55;
        assert!(check::validate(&png).is_err());
    }
}
