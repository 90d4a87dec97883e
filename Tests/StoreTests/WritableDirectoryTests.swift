// SPDX-License-Identifier: MIT
import Foundation
@testable import Store
import Testing

/// Where the state database may live: the mount a path is on, read from the kernel's mount table, and
/// whether that file system is a network one where SQLite's locking cannot be trusted.
@Suite struct WritableDirectoryTests {
    /// A mount table as proc(5) writes it: a root, a local disk, an NFS export, a share with a space
    /// in its mount point (`\040`), an sshfs mount and a tmpfs over part of the NFS export.
    let mountinfo = """
        22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
        30 22 254:2 / /var/lib rw,relatime shared:2 - xfs /dev/vdb rw
        41 22 0:45 / /srv/nfs rw,relatime shared:20 - nfs4 files:/export rw,vers=4.2
        42 22 0:46 / /mnt/team\\040share rw,relatime - cifs //nas/team rw
        43 22 0:47 / /home/ana/remote rw,nosuid,nodev - fuse.sshfs ana@box: rw
        44 41 0:48 / /srv/nfs/scratch rw shared:21 master:3 - tmpfs tmpfs rw,size=65536k
        """

    @Test(arguments: [
        ("/var/lib/feedwatch", "/var/lib", "xfs"),
        ("/var/libretto", "/", "ext4"),
        ("/srv/nfs/feedwatch/state", "/srv/nfs", "nfs4"),
        ("/srv/nfs/scratch/state", "/srv/nfs/scratch", "tmpfs"),
        ("/mnt/team share/feedwatch", "/mnt/team share", "cifs"),
        ("/home/ana/remote", "/home/ana/remote", "fuse.sshfs"),
    ])
    func theLongestMountPointHoldingThePathIsItsMount(path: String, point: String, type: String) throws {
        let mount = try #require(WritableDirectory.mount(containing: path, in: mountinfo))
        #expect(mount.point == point && mount.type == type)
    }

    @Test func networkFileSystemsAreKnownAndLocalOnesAreNot() {
        for type in ["nfs", "nfs4", "cifs", "smb3", "9p", "ceph", "glusterfs", "fuse.sshfs", "fuse.rclone"] {
            #expect(WritableDirectory.isNetwork(type), "\(type)")
        }
        for type in ["ext4", "xfs", "btrfs", "zfs", "tmpfs", "overlay", "fuse.mergerfs"] {
            #expect(!WritableDirectory.isNetwork(type), "\(type)")
        }
    }

    /// This machine's own table: the temporary directory is on some mount, and a directory made there passes.
    @Test func aLocalDirectoryPasses() throws {
        let directory = NSTemporaryDirectory() + "feedwatch-writable-\(UUID().uuidString)/state"
        #expect(WritableDirectory.mount(containing: NSTemporaryDirectory()) != nil)
        #expect(WritableDirectory.problem(directory, forDatabase: true) == nil)
    }

    @Test func aFileWhereTheDirectoryShouldBeIsNamed() throws {
        let file = NSTemporaryDirectory() + "feedwatch-writable-\(UUID().uuidString)"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(WritableDirectory.problem(file + "/state", forDatabase: true) == "\(file) is not a directory")
    }
}
