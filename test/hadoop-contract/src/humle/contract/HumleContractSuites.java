package humle.contract;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.contract.AbstractContractAppendTest;
import org.apache.hadoop.fs.contract.AbstractContractBulkDeleteTest;
import org.apache.hadoop.fs.contract.AbstractContractCopyFromLocalTest;
import org.apache.hadoop.fs.contract.AbstractContractGetEnclosingRoot;
import org.apache.hadoop.fs.contract.AbstractContractVectoredReadTest;
import org.apache.hadoop.fs.contract.AbstractContractConcatTest;
import org.apache.hadoop.fs.contract.AbstractContractContentSummaryTest;
import org.apache.hadoop.fs.contract.AbstractContractCreateTest;
import org.apache.hadoop.fs.contract.AbstractContractDeleteTest;
import org.apache.hadoop.fs.contract.AbstractContractGetFileStatusTest;
import org.apache.hadoop.fs.contract.AbstractContractMkdirTest;
import org.apache.hadoop.fs.contract.AbstractContractOpenTest;
import org.apache.hadoop.fs.contract.AbstractContractRenameTest;
import org.apache.hadoop.fs.contract.AbstractContractRootDirectoryTest;
import org.apache.hadoop.fs.contract.AbstractContractSeekTest;
import org.apache.hadoop.fs.contract.AbstractContractSetTimesTest;
import org.apache.hadoop.fs.contract.AbstractFSContract;
import org.junit.Assume;

/**
 * Hadoop 3.4.1's abstract FileSystem contract suites, each bound to Humle's WebHDFS. The only tests left out are
 * among those Hadoop's own TestRouterWebHDFSContract* classes (hadoop-hdfs-rbf) leave out because WebHDFS itself does
 * not support them, and only those that fail in Hadoop's WebHDFS client whatever the server answers; they are
 * skipped (an assumption failure, counted as skipped) with the reason, not passed. The others Hadoop leaves out
 * (open() of a directory, a seek past the end) pass here and run.
 * Suites that do not apply to any WebHDFS server are not bound: Etag and StreamIOStatistics (WebHdfsFileSystem has
 * no etags and its streams no IOStatistics), Unbuffer (the WebHDFS contract declares no unbuffer), LeaseRecovery,
 * SafeMode, PathHandle and MultipartUploader (APIs of DistributedFileSystem, HDFS's RPC client).
 */
public final class HumleContractSuites {
  private HumleContractSuites() {}

  /** Every suite, in the order they run. */
  public static final Class<?>[] ALL = {
    Create.class, Open.class, Rename.class, Delete.class, Mkdir.class, GetFileStatus.class, Append.class,
    Concat.class, Seek.class, SetTimes.class, ContentSummary.class, RootDirectory.class,
    BulkDelete.class, VectoredRead.class, CopyFromLocal.class, GetEnclosingRoot.class,
  };

  static void unsupportedByWebHdfs(String reason) {
    Assume.assumeTrue("unsupported by WebHDFS itself (as in Hadoop's TestRouterWebHDFSContract*): " + reason, false);
  }

  public static class Create extends AbstractContractCreateTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class Open extends AbstractContractOpenTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }

  }

  public static class Rename extends AbstractContractRenameTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class Delete extends AbstractContractDeleteTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class Mkdir extends AbstractContractMkdirTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class GetFileStatus extends AbstractContractGetFileStatusTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class Append extends AbstractContractAppendTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class Concat extends AbstractContractConcatTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class Seek extends AbstractContractSeekTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }

    @Override
    public void testNegativeSeek() {
      unsupportedByWebHdfs("WebHdfsFileSystem's stream accepts seek(-1), and its next read fails in the client with an"
          + " IllegalArgumentException (its own offset parameter), not the IOException the suite expects");
    }

    @Override
    public void testSeekReadClosedFile() {
      unsupportedByWebHdfs("WebHdfsFileSystem's stream accepts a seek after close(), in the client");
    }
  }

  public static class SetTimes extends AbstractContractSetTimesTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class ContentSummary extends AbstractContractContentSummaryTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class RootDirectory extends AbstractContractRootDirectoryTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class BulkDelete extends AbstractContractBulkDeleteTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class VectoredRead extends AbstractContractVectoredReadTest {
    public VectoredRead(String bufferType) {
      super(bufferType);
    }

    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class CopyFromLocal extends AbstractContractCopyFromLocalTest {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }

  public static class GetEnclosingRoot extends AbstractContractGetEnclosingRoot {
    @Override
    protected AbstractFSContract createContract(Configuration conf) {
      return new HumleWebHdfsContract(conf);
    }
  }
}
